// What the customer wants and how they react, read from the scenario's reason for call: the requests in
// the order given (spoken in the first person), the conditional rules ("If the agent asks for confirmation,
// only exchange the desk lamp"), and what they keep to themselves (parentheticals marked secret).
import { sentence, toFirstPerson } from './perspective.ts'

/** What in the agent's message sets a rule off. */
export type Trigger = 'confirmation' | 'done' | 'order-id' | 'zip' | 'reason' | 'retry' | 'which' | 'payment' | 'refusal'

export interface Rule {
  trigger: Trigger
  /** What the customer says when it fires (each rule fires once). */
  say: string
  /** The request it qualifies (the one before it in the scenario), if any. */
  about?: string
}

export interface ScenarioScript {
  /** The requests, in order, as the customer would say them. */
  requests: string[]
  rules: Rule[]
  /** Order ids the customer knows (as written in the scenario). */
  orderIds: string[]
  /** Things the customer will not agree to (matched against what the agent proposes). */
  refusals: string[]
  /** Why they cancel, where the scenario says it: the sentence and the reason it gives. */
  cancelReasons: CancelReason[]
  /** The action the scenario's first condition presupposes ("If cancelling part of the order is not possible, …"). */
  presumedAction?: string
}

export interface CancelReason {
  /** The sentence that gives the reason, with the one before it ("… modify the skateboard. If not, cancel since …"). */
  sentence: string
  said: string
}

const SECRET = /reveal|share|do not tell|don't tell|not mention/i
// The condition ends at the first comma that an action follows ("If there is no keyboard that is clicky, RGB
// backlight, full size, you'd go for no backlight" keeps its list inside the condition).
const RULE = /^(?:but\s+|and\s+|also,?\s+)?(?:if and only if|if|when|once|in case)\s+(.+?),\s*(?:then\s+)?((?:you|tell|say|ask|provide|only|use|using|proceed|cancel|return|exchange|get|no|just|confirm|mention|agree|keep|see|i|it|do not|don't)\b.+)$/i
// "If the same item is available online, you're willing to exchange it to the same item": what the customer would
// accept is offered with the request it qualifies, not held back for a reply the agent never prompts.
const WILLING = /^(?:you're|you are|you'd be|you would be) (?:willing|happy|ok(?:ay)?) to\b/i
// "…cancel or return all possible orders. Well, except the boots that you really love": an exception is part of
// the request it narrows, said with it, not a request the customer would hold back until after that one is done.
const EXCEPTION = /^(?:well,?\s+|oh,?\s+|but\s+)?except\b/i
// "You want to cancel the grill, but if the agent asks you to confirm, you regret …": a request, then a rule. A
// "but if" inside parentheses ("(you prefer exchange for the same item, but if it is not available just return it)")
// qualifies its request and stays with it.
const TRAILING_RULE = /,\s*(?=but\s+(?:if|when)\b)(?![^(]*\))/i
const META = /^(?:make sure|mention|be |do not|don't|avoid|try |you are not familiar|it is urgent)/i
// "For some reason, you want to return all things ordered": the request, without the storyteller's aside.
const ASIDE = /^for some reason,?\s+/i
const TOGETHER = /\bmention (?:these|them|both)\b[^.]*\bat the same time\b/i
const SETTLES = /\brefund(?:ed)?\b[^.]*\bto\b/i
const ACTION = /\b(?:return|exchange|cancel|modify|change|switch|update|buy)\b/i
const WANTS = /\b(want|wish|would like|'d like|wonder|need|know|ask|prefer|like to|check|hoping)\b/i

// How a customer words the two reasons the shop accepts, when the scenario gives one ("since you ordered it by
// mistake", "with the reason of no longer needed", "Due to some life changes, you no longer need …").
const MISTAKE = /\bby mistake\b|\bmistaken(ly)?\b/i
const NOT_NEEDED = /\bno longer need(ed)?\b|\b(don't|do not) need\b/i

function cancelReasons(text: string): CancelReason[] {
  const sentences = splitSentences(text)
  return sentences.flatMap((s, i) => {
    const sentence = `${sentences[i - 1] ?? ''} ${s}`.trim()
    if (MISTAKE.test(s)) return [{ sentence, said: 'I ordered it by mistake.' }]
    if (NOT_NEEDED.test(s)) return [{ sentence, said: 'I no longer need it.' }]
    return []
  })
}

/** `reasonForCall` holds the requests; `taskInstructions` (how to behave) may also say why they cancel. */
export function readScenario(reasonForCall: string, taskInstructions = ''): ScenarioScript {
  const text = withoutSecrets(reasonForCall)
  const requests: string[] = []
  const rules: Rule[] = []
  const refusals: string[] = []
  let firstCondition: string | undefined
  let context = ''
  for (const clause of splitSentences(text).flatMap((s) => s.split(TRAILING_RULE))) {
    const raw = clause.replace(ASIDE, '')
    const rule = raw.match(RULE)
    if (rule && WILLING.test(rule[2]!) && requests.length > 0) {
      requests.push(`${requests.pop()} ${speech(raw)}`)
      continue
    }
    if (rule) {
      firstCondition ??= rule[1]!
      const trigger = triggerOf(rule[1]!)
      const said = speech(rule[2]!)
      // "If the agent asks you to confirm, you regret and want to keep it": a real customer's answer starts with no.
      const say = trigger === 'confirmation' && /\bregret\b|\bkeep it\b/i.test(said) && !/^no\b/i.test(said) ? `No, ${/^I\b/.test(said) ? said : said[0]!.toLowerCase() + said.slice(1)}` : said
      const about = requests.at(-1)
      rules.push(about ? { trigger, say, about } : { trigger, say })
      continue
    }
    if (SECRET.test(raw)) continue
    if (EXCEPTION.test(raw) && requests.length > 0 && !context) {
      requests.push(`${requests.pop()} ${speech(raw)}`)
      continue
    }
    const refusal = raw.match(/\b(?:do not|don't|never) want to (\w+[^,.]*)/i)
    if (refusal) refusals.push(refusal[1]!.toLowerCase())
    // "Make sure you mention these at the same time": the two requests before it are said as one.
    if (TOGETHER.test(raw) && requests.length >= 2) {
      const last = requests.pop()
      requests.push(`${requests.pop()} ${last}`)
      continue
    }
    if (META.test(raw) && !/^do not want/i.test(raw)) continue
    const spoken = speech(raw)
    if (!WANTS.test(raw)) {
      context = context ? `${context} ${spoken}` : spoken
      continue
    }
    // "…and you want to refund each order to the other order's payment method": how the request before is settled.
    if (SETTLES.test(raw) && !ACTION.test(raw) && requests.length > 0 && !context) requests.push(`${requests.pop()} ${spoken}`)
    else requests.push(context ? `${context} ${spoken}` : spoken)
    context = ''
  }
  if (context) requests.push(context)
  const presumed = /\b(cancel|return|exchang)/i.exec(firstCondition ?? '')?.[1]?.toLowerCase()
  return {
    requests, rules, refusals, cancelReasons: cancelReasons(`${reasonForCall} ${taskInstructions}`), orderIds: [...reasonForCall.matchAll(/#?W\d{7}\b/g)].map((m) => m[0]),
    ...(presumed ? { presumedAction: presumed === 'exchang' ? 'exchange' : presumed } : {}),
  }
}

/**
 * The scenario without what the customer keeps to themselves: a secret parenthetical, and the fact it marks
 * ("The correct item id is 5206946487 (do not share this with the agent)."); a request keeps its words.
 */
function withoutSecrets(text: string): string {
  return text.split(/(?<=[.!?])\s+/).map((sentence) => {
    const secret = [...sentence.matchAll(/\(([^)]*)\)/g)].some((m) => SECRET.test(m[1]!))
    const said = sentence.replace(/\s*\(([^)]*)\)/g, (m, inner: string) => (SECRET.test(inner) ? '' : m))
    return secret && !WANTS.test(said) ? '' : said
  }).filter((sentence) => sentence !== '').join(' ')
}

function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z(#])/)
    .map((s) => s.trim().replace(/^\.\s*/, ''))
    .filter((s) => s.length > 1 && !s.startsWith('('))
}

function triggerOf(condition: string): Trigger {
  // "Once the agent has confirmed the changes": the changes are made, not proposed.
  if (/\b(?:has|have) (?:confirmed|made|done|completed)\b/i.test(condition)) return 'done'
  if (/confirm/i.test(condition)) return 'confirmation'
  if (/order (id|number)/i.test(condition)) return 'order-id'
  if (/zip/i.test(condition)) return 'zip'
  if (/reason/i.test(condition)) return 'reason'
  if (/double.?check|error|doesn't work|does not work|fails|different item/i.test(condition)) return 'retry'
  if (/\bwhich\b/i.test(condition)) return 'which'
  // "If a price difference is needed to pay": said when asked how to pay (not "if the gift card is not possible").
  if (/\b(pay|payment|price difference)\b/i.test(condition) && !/\b(not|cannot|can't|fails?)\b/i.test(condition)) return 'payment'
  return 'refusal'
}

/** A scenario clause as the customer says it: the instruction verbs dropped, in the first person. */
export function speech(clause: string): string {
  const said = toFirstPerson(clause)
    // "do not say yes immediately, because you also want …": what the customer says instead of the yes.
    .replace(/^(?:do not|don't) say yes(?: immediately| right away| yet)?,?\s*(?:because\s+)?/i, 'Not yet: ')
    .replace(/^(?:I\s+)?(?:say|mention|explain)\s+(?:that\s+)?/i, '')
    .replace(/\b(?:I\s+)?(?:tell|ask)\s+(?:it|you|them)\s+(?:explicitly\s+)?to\s+/gi, 'please ')
    .replace(/^(?:I\s+)?ask for\s+/i, 'I want ')
    .replace(/\b(?:I\s+)?ask\s+you\s+(?:explicitly\s+)?(?:about\s+)?/i, 'can you tell me ')
    .replace(/\bprovide\s+(#?\w+)(?:\s+first)?/i, 'it is $1')
    .replace(/\bsay that\s+/gi, '')
    .replace(/\byou asks\b/g, 'you ask')
  return /^can you\b/i.test(said) ? sentence(said).replace(/\.$/, '?') : sentence(said)
}
