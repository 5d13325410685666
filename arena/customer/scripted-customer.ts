// The offline customer: a state machine driven by the task's user scenario. It says who it is when asked
// (or first, by seed), its requests in the scenario's order (one at a time or several in one message, by
// seed), answers the agent's questions from what it knows, fires the scenario's conditional rules once each,
// sometimes answers a question with a question, and ends the conversation when it has nothing left to ask.
import type { RetailTask } from '../scenarios/index.ts'
import { readAgent, type AgentReading } from './agent-reading.ts'
import { fullName, readPersona, type Persona } from './persona.ts'
import { readScenario, type Rule, type ScenarioScript, type Trigger } from './scenario-script.ts'
import { seededRandom, type SeededRandom } from './seeded-random.ts'

/** The customer side of a simulated conversation. */
export interface SimulatedCustomer {
  /** The customer's first message. */
  opening(): string
  /** The next message in answer to the agent's, or null when the customer ends the conversation. */
  reply(agentText: string): string | null
}

/** A customer that stops after this many messages, whatever the agent does: a stuck loop must end. */
export const MAX_CUSTOMER_TURNS = 25

const GREETINGS = ['', 'Hi. ', 'Hello! ', 'Hi there, ', 'Hey, ', 'Good morning. ']
const YES = ['Yes.', 'Yes, please proceed.', 'Yes, go ahead.', 'yes', 'Confirmed, please go ahead.', 'Yes please.']
const NEXT = ['Also, ', 'One more thing: ', 'Another thing. ', '', 'Next, ']
const COUNTER = ['Why do you need that?', 'Is that really necessary?', 'Can\'t you look it up yourself?', 'What do you need it for?']

interface Variation {
  identityFirst: boolean
  bundled: boolean
  counterQuestion: number
}

export function scriptedCustomer(task: RetailTask, seed: number): SimulatedCustomer {
  const rng = seededRandom(seed * 7919 + hash(task.id))
  const persona = readPersona(task.user_scenario.instructions)
  const script = readScenario(task.user_scenario.instructions.reason_for_call)
  const variation: Variation = {
    identityFirst: !persona.reserved && rng.chance(0.4),
    bundled: !persona.terse && script.requests.length > 1 && rng.chance(0.4),
    counterQuestion: persona.reserved ? 0.5 : 0.15,
  }
  return new ScriptedConversation(persona, script, variation, rng)
}

class ScriptedConversation implements SimulatedCustomer {
  private next = 0
  private turns = 0
  private countered = false
  private pending: string | undefined
  private readonly rules: Rule[]

  constructor(private readonly persona: Persona, private readonly script: ScenarioScript, private readonly v: Variation, private readonly rng: SeededRandom) {
    this.rules = [...script.rules]
  }

  opening(): string {
    this.turns = 1
    const greeting = this.rng.pick(GREETINGS)
    const identity = this.v.identityFirst ? `${this.identity(true)} ` : ''
    const request = this.takeRequests()
    return `${greeting}${identity}${request ?? 'I need help with my orders.'}`.trim()
  }

  reply(agentText: string): string | null {
    const seen = readAgent(agentText)
    if (seen.transferred || ++this.turns > MAX_CUSTOMER_TURNS) return null
    if (this.pending) return this.release()
    const answer = this.answer(seen)
    if (answer !== undefined) return this.maybeCounter(seen, answer)
    if (seen.asksConfirmation) return this.fire('confirmation') ?? this.confirm(agentText)
    if (seen.refused) {
      const rule = this.fire('refusal')
      if (rule) return rule
    }
    const request = this.takeRequests()
    if (request) return `${this.rng.pick(NEXT)}${request}`
    if (seen.asksSomething && !seen.offersMore) return this.rng.pick(['I\'m not sure. What would you suggest?', 'Whatever you think is right.', 'I don\'t know.'])
    return null
  }

  /** The answer to a question about who they are or which order, if the agent asked one. */
  private answer(seen: AgentReading): string | undefined {
    if (seen.notFound) return this.fire('retry') ?? this.fire('zip') ?? (seen.asksOrderId ? this.fire('order-id') : undefined)
    if (seen.asksOrderId) return this.fire('order-id') ?? this.orderId()
    if (seen.asksEmail || seen.asksUserId || seen.asksNameOrZip) return this.identityAnswer(seen)
    if (seen.asksReason) return this.fire('reason')
    return undefined
  }

  private identityAnswer(seen: AgentReading): string {
    const p = this.persona
    const name = fullName(p)
    if (seen.asksNameOrZip && name && p.zip) return this.fire('zip') ?? `${name}, zip code ${p.zip}.`
    if (seen.asksEmail && p.emails.length > 0) return `It's ${p.emails[0]}.`
    if (seen.asksUserId && p.userId) return `My user id is ${p.userId}.`
    const forgot = p.forgetsEmail ? 'I don\'t remember my email address.' : 'I\'d rather not give my email.'
    return name && p.zip ? `${forgot} My name is ${name} and my zip code is ${p.zip}.` : forgot
  }

  private identity(volunteered: boolean): string {
    const p = this.persona
    const name = fullName(p)
    if (p.emails.length > 0 && (!name || !p.zip || this.rng.chance(0.5))) return `${name ? `I'm ${name}, ` : ''}my email is ${p.emails[0]}.`
    if (name && p.zip) return volunteered ? `I'm ${name}, zip code ${p.zip}.` : `${name}, ${p.zip}.`
    return p.userId ? `My user id is ${p.userId}.` : ''
  }

  private orderId(): string {
    const id = this.script.orderIds[0]
    if (id && !this.persona.forgetsOrderId) return `It's ${id.startsWith('#') ? id : `#${id}`}.`
    return 'I don\'t remember the order number. Can you look it up in my account?'
  }

  private confirm(agentText: string): string {
    const refused = this.script.refusals.find((r) => agentText.toLowerCase().includes(r.split(' ')[0]!))
    return refused ? `No, I don't want to ${refused}.` : this.rng.pick(YES)
  }

  /** Answers a question with a question now and then; the real answer follows on the next message. */
  private maybeCounter(seen: AgentReading, answer: string): string {
    const personal = seen.asksEmail || seen.asksNameOrZip || seen.asksUserId
    if (!personal || this.countered || !this.rng.chance(this.v.counterQuestion)) return answer
    this.countered = true
    this.pending = answer
    return this.rng.pick(COUNTER)
  }

  private release(): string {
    const answer = this.pending!
    this.pending = undefined
    return `I need the help, so fine. ${answer}`
  }

  private fire(trigger: Trigger): string | undefined {
    const i = this.rules.findIndex((r) => r.trigger === trigger)
    if (i < 0) return undefined
    return this.rules.splice(i, 1)[0]!.say
  }

  /** The next request, or all the remaining ones at once when this customer bundles them. */
  private takeRequests(): string | undefined {
    const { requests } = this.script
    if (this.next >= requests.length) return undefined
    const end = this.v.bundled ? requests.length : this.next + 1
    const said = requests.slice(this.next, end).join(' ')
    this.next = end
    return said
  }
}

function hash(text: string): number {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  return h >>> 0
}
