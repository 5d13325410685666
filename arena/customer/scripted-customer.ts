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
const PAYMENT = /\b(pay ?pal|gift ?card|credit card|visa|mastercard|original payment)\b/i
const GENERIC = new Set(['order', 'cancelling', 'what', 'which', 'shall', 'please', 'your', 'the', 'this', 'that', 'item', 'items', 'reason'])
const COUNTER = ['Why do you need that?', 'Is that really necessary?', 'Can\'t you look it up yourself?', 'What do you need it for?']

interface Variation {
  identityFirst: boolean
  bundled: boolean
  counterQuestion: number
}

export function scriptedCustomer(task: RetailTask, seed: number): SimulatedCustomer {
  const rng = seededRandom(seed * 7919 + hash(task.id))
  const persona = readPersona(task.user_scenario.instructions)
  const script = readScenario(task.user_scenario.instructions.reason_for_call, task.user_scenario.instructions.task_instructions ?? '')
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
  /** The identities said so far: after "not found" they try one they have not said yet. */
  private readonly emailsGiven: string[] = []
  private nameGiven = false
  private paymentWish: string | undefined
  private pending: string | undefined
  /** The request(s) said last: which order "which order?" is about. */
  private lastSaid = ''
  private readonly rules: Rule[]
  private readonly requests: string[]

  constructor(private readonly persona: Persona, private readonly script: ScenarioScript, private readonly v: Variation, private readonly rng: SeededRandom) {
    this.rules = [...script.rules]
    this.requests = [...script.requests]
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
    const answer = this.answer(seen, agentText)
    if (answer !== undefined) return this.maybeCounter(seen, answer)
    // "If the agent asks for confirmation…" is about a proposed action, not "Shall I keep looking?".
    if (seen.asksConfirmation) return (seen.asksToContinue ? undefined : this.fireConfirmation(agentText)) ?? this.confirm(agentText)
    if (seen.refused) {
      const rule = this.fire('refusal', agentText)
      if (rule) return rule
    }
    const request = this.takeRequests()
    if (request) return `${this.rng.pick(NEXT)}${request}`
    // "Once the agent has confirmed the changes, you regret it": said when the agent reports them done.
    const afterDone = seen.offersMore ? this.fire('done') : undefined
    if (afterDone) return afterDone
    // Asked what they want done, the action their scenario's first condition presupposes, never one it does not name.
    if (seen.asksWhatToDo && this.script.presumedAction) return `I want to ${this.script.presumedAction} them.`
    if (seen.asksSomething && !seen.offersMore) return this.rng.pick(['I\'m not sure. What would you suggest?', 'Whatever you think is right.', 'I don\'t know.'])
    return null
  }

  /** The answer to a question about who they are or which order, if the agent asked one. */
  private answer(seen: AgentReading, agentText: string): string | undefined {
    if (seen.notFound) return this.fire('retry') ?? this.fire('zip') ?? (seen.asksOrderId ? this.fire('order-id') : undefined) ?? this.otherIdentity(seen)
    // "If the agent asks for which laptop, it is 15-inch": said to "which order" about the laptops too.
    if (seen.asksOrderId) return this.fire('order-id') ?? this.fire('which') ?? this.orderId()
    if (seen.asksWhich) {
      const said = this.fire('which')
      if (said) return said
    }
    if (seen.asksEmail || seen.asksUserId || seen.asksNameOrZip) return this.identityAnswer(seen)
    if (seen.asksReason) return this.fire('reason') ?? this.cancelReason(agentText)
    // A customer the scenario gives no preference leaves the choice to the agent rather than ignoring the question.
    if (seen.asksPaymentMethod) return this.paymentPreference() ?? 'I have no preference.'
    if (seen.asksAddress && this.persona.address) return `It's ${this.persona.address}.`
    return undefined
  }

  /**
   * Asked how to pay, the scenario's word on it ("I want to use my PayPal account for any additional payment"),
   * said now rather than later; or its rule for it ("If a price difference is needed to pay, you prefer gift card payment").
   */
  private paymentPreference(): string | undefined {
    // "For both orders, I'd prefer the visa card": a standing wish, said again each time the agent asks.
    if (this.paymentWish) return this.paymentWish
    const i = this.requests.findIndex((r) => PAYMENT.test(r))
    if (i < 0) return this.fire('payment')
    const said = this.requests[i]!
    if (i >= this.next) this.requests.splice(i, 1)
    this.paymentWish = said
    return said
  }

  /**
   * Why they cancel: the reason the scenario gives for what the agent names (several cancellations may have
   * different reasons), else its only one. A customer with no reason in the scenario, offered the shop's two,
   * does not claim a mistake they did not make.
   */
  private cancelReason(agentText: string): string | undefined {
    const reasons = this.script.cancelReasons
    const named = namedBy(agentText)
    const about = reasons.find((r) => named.some((w) => new RegExp(`\\b${w}`, 'i').test(r.sentence))) ?? reasons[0]
    if (about) return about.said
    return /no longer needed/i.test(agentText) ? 'I no longer need it.' : undefined
  }

  private identityAnswer(seen: AgentReading): string {
    const p = this.persona
    const name = fullName(p)
    if (seen.asksNameOrZip && name && p.zip) return this.fire('zip') ?? this.giveName(`${name}, zip code ${p.zip}.`)
    if (seen.asksEmail && p.emails[0]) return this.giveEmail(p.emails[0], 'It\'s')
    if (seen.asksUserId && p.userId) return `My user id is ${p.userId}.`
    const forgot = p.forgetsEmail ? 'I don\'t remember my email address.' : 'I\'d rather not give my email.'
    return name && p.zip ? this.giveName(`${forgot} My name is ${name} and my zip code is ${p.zip}.`) : forgot
  }

  /** No account for the email they gave: the next email they know, or their name and zip, if they have one not tried yet. */
  private otherIdentity(seen: AgentReading): string | undefined {
    if (!seen.asksEmail && !seen.asksNameOrZip) return undefined
    const next = this.persona.emails.find((e) => !this.emailsGiven.includes(e))
    if (next) return this.giveEmail(next, 'Try my other email:')
    const name = fullName(this.persona)
    return name && this.persona.zip && !this.nameGiven ? this.giveName(`${name}, zip code ${this.persona.zip}.`) : undefined
  }

  private giveEmail(email: string, lead: string): string {
    this.emailsGiven.push(email)
    return `${lead} ${email}.`
  }

  private giveName(said: string): string {
    this.nameGiven = true
    return said
  }

  private identity(volunteered: boolean): string {
    const p = this.persona
    const name = fullName(p)
    if (p.emails[0] && (!name || !p.zip || this.rng.chance(0.5))) return this.giveEmail(p.emails[0], `${name ? `I'm ${name}, ` : ''}my email is`)
    if (name && p.zip) return this.giveName(volunteered ? `I'm ${name}, zip code ${p.zip}.` : `${name}, ${p.zip}.`)
    return p.userId ? `My user id is ${p.userId}.` : ''
  }

  /** The order they mean: the one id of the request they last made, else the scenario's one id; with several, they cannot tell. */
  private orderId(): string {
    const inRequest = this.lastSaid.match(/#?W\d{7}\b/g) ?? []
    const ids = new Set((inRequest.length > 0 ? inRequest : this.script.orderIds).map((i) => i.replace(/^#/, '')))
    const id = ids.size === 1 ? [...ids][0] : undefined
    if (id && !this.persona.forgetsOrderId) return `It's #${id}.`
    return 'I don\'t remember the order number. Can you look it up in my account?'
  }

  private confirm(agentText: string): string {
    const refused = this.script.refusals.find((r) => agentText.toLowerCase().includes(r.split(' ')[0]!))
    if (refused) return `No, I don't want to ${refused}.`
    return this.onlyThat(agentText) ?? this.rng.pick(YES)
  }

  /** "Cancel the skateboard (and only the skateboard)": a cancellation that takes other products with it is declined. */
  private onlyThat(agentText: string): string | undefined {
    const only = /\bcancel the ([a-z][a-z -]*?) \(and only the \1\)|\bonly (?:want to )?cancel (?:the|that) ([a-z][a-z -]*?)\b(?=[,.)]| in\b| from\b| —| -)/i.exec(this.lastSaid)
    const wanted = (only?.[1] ?? only?.[2])?.toLowerCase()
    if (!wanted || !/\bcancel/i.test(agentText)) return undefined
    const products = [...agentText.matchAll(/\b([A-Z][A-Za-z-]+(?: [A-Z][A-Za-z-]+)*) \(/g)].map((m) => m[1]!.toLowerCase())
    return products.some((p) => !p.includes(wanted) && !wanted.includes(p)) ? `No, I only want to cancel the ${wanted}.` : undefined
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

  /**
   * "When the agent asks you to confirm, you … decide to only modify the backpack": a rule that names an action
   * is about the proposal of that action, so a proposal to ship the order elsewhere does not set it off.
   */
  private fireConfirmation(agentText: string): string | undefined {
    const action = (text: string): string | undefined => /\b(modify|exchange|return|cancel)\b/i.exec(text)?.[1]?.toLowerCase()
    const i = this.rules.findIndex((r) => r.trigger === 'confirmation' && (!action(r.say) || new RegExp(`\\b${action(r.say)}`, 'i').test(agentText)))
    return i < 0 ? undefined : this.rules.splice(i, 1)[0]!.say
  }

  /**
   * A rule for what the agent said, preferring one about the request in hand ("if that is not possible" after the
   * skateboard); of several requests said at once, the one about a product the agent's message names.
   */
  private fire(trigger: Trigger, agentText = ''): string | undefined {
    const inHand = (r: Rule): boolean => r.trigger === trigger && r.about !== undefined && this.lastSaid.includes(r.about)
    const named = namedBy(agentText)
    const spoken = this.rules.findIndex((r) => inHand(r) && named.some((w) => new RegExp(`\\b${w}`, 'i').test(r.about!)))
    const about = spoken >= 0 ? spoken : this.rules.findIndex(inHand)
    const i = about >= 0 ? about : this.rules.findIndex((r) => r.trigger === trigger)
    if (i < 0) return undefined
    return this.rules.splice(i, 1)[0]!.say
  }

  /** The next request, or all the remaining ones at once when this customer bundles them. */
  private takeRequests(): string | undefined {
    const { requests } = this
    if (this.next >= requests.length) return undefined
    const end = this.v.bundled ? requests.length : this.next + 1
    const said = requests.slice(this.next, end).join(' ')
    this.next = end
    this.lastSaid = said
    return said
  }
}

/** The products an agent's message names (capitalised: "It contains: Fleece Jacket (…)"), as lower-case words. */
const namedBy = (agentText: string): string[] => (agentText.match(/\b[A-Z][a-z]{3,}\b/g) ?? []).map((w) => w.toLowerCase()).filter((w) => !GENERIC.has(w))

function hash(text: string): number {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  return h >>> 0
}
