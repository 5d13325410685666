// The two stages a turn runs: input (the customer's message, and each tool result or passage before the
// model reads it) and output (the reply, before the customer sees it). Independent checks, one verdict:
// the most severe. Pure; pass `now` to have each check's latency recorded.
import { mostSevere, type CheckResult, type CheckVerdict } from '../../lib/guardrail-check.ts'
import { checkBrandVoice, type BrandVoiceResult, type BrandVoiceSettings } from './brand-voice.ts'
import { scoreConfidence, type ConfidenceReason, type ConfidenceResult, type ConfidenceSettings, type ConfidenceSignals } from './confidence.ts'
import { checkGrounding, type GroundingResult, type GroundingSource } from './grounding.ts'
import { detectInjection, type InjectionResult } from './injection.ts'
import { checkLoop, type LoopResult } from './loop.ts'
import { checkPii, redactWithMapping, type PiiMapping, type Redacted } from './pii-redaction.ts'
import { checkSentiment, type SentimentResult } from './sentiment.ts'

/** A result with the time its check took, when the caller passed a clock. */
export type Timed<T extends CheckResult> = T & { latencyMs?: number }

export interface StageOptions {
  /** A monotonic clock in milliseconds (e.g. `performance.now`); without it no latency is recorded. */
  now?: () => number
}

function timed<T extends CheckResult>(run: () => T, now?: () => number): Timed<T> {
  if (!now) return run()
  const started = now()
  const result = run()
  return { ...result, latencyMs: now() - started }
}

export interface InputContext {
  /** The customer's earlier messages, oldest first (this one excluded). */
  earlierMessages?: readonly string[]
  /** The placeholder mapping of the conversation so far, so placeholders stay stable. */
  piiMapping?: PiiMapping
}

export interface InputReport {
  /** From the injection and PII checks: `block` (card number), `escalate` (injection) or `allow`. */
  verdict: CheckVerdict
  decisive?: CheckResult
  injection: Timed<InjectionResult>
  pii: Timed<CheckResult>
  /** Routing signals for the confidence score; they do not decide the input verdict. */
  sentiment: Timed<SentimentResult>
  loop: Timed<LoopResult>
  /** The message with personal data replaced, and the conversation's mapping (placeholder → value). */
  redacted: Redacted
}

/**
 * Input stage for one customer message.
 * @example const input = checkInput(text, { earlierMessages }); if (input.verdict !== 'allow') …
 */
export function checkInput(text: string, context: InputContext = {}, { now }: StageOptions = {}): InputReport {
  const injection = timed(() => detectInjection(text, 'message'), now)
  const pii = timed(() => checkPii(text), now)
  const sentiment = timed(() => checkSentiment(text), now)
  const loop = timed(() => checkLoop({ customerMessages: [...(context.earlierMessages ?? []), text] }), now)
  const decisive = mostSevere([pii, injection].filter((r) => r.verdict !== 'allow'))
  return { verdict: decisive?.verdict ?? 'allow', ...(decisive ? { decisive } : {}), injection, pii, sentiment, loop, redacted: redactWithMapping(text, context.piiMapping) }
}

/**
 * A tool result or retrieved passage before the model reads it: `block` means keep it out of the context
 * (and tell the model the item was withheld).
 */
export function checkContextItem(text: string, channel: 'tool' | 'passage', { now }: StageOptions = {}): Timed<InjectionResult> {
  return timed(() => detectInjection(text, channel), now)
}

export interface OutputContext {
  /** What claims must be supported by; absent: the reply's claims are not checked (a policy turned grounding off). */
  grounding?: GroundingSource
  brandVoice?: BrandVoiceSettings
  /** Whether this is the agent's first reply in the conversation (for first-reply disclosures). */
  firstReply?: boolean
  /** How many times this reply was already regenerated. @defaultValue 0 */
  attempt?: number
  /** Signals from the input stage and the turn (intent confidence, sentiment, loop, policy limits). */
  signals?: Omit<ConfidenceSignals, 'grounding'>
  confidence?: ConfidenceSettings
}

const UNCHECKED: GroundingResult = { check: 'grounding', verdict: 'allow', score: 0, reason: 'grounding is off for this agent', claims: 0, unsupported: [], coverage: 1 }

/** Why a reply went to a human: the confidence category, or the check that refused it. */
export type EscalationCategory = ConfidenceReason | 'off_brand' | 'personal_data'

export interface OutputReport {
  /** `block` (card number), `regenerate` (unsupported claim or off brand, first attempt), `escalate`, or `allow`. */
  verdict: CheckVerdict
  decisive?: CheckResult
  /** Set when the verdict is not `allow` or `regenerate`. */
  category?: EscalationCategory
  pii: Timed<CheckResult>
  grounding: Timed<GroundingResult>
  brandVoice: Timed<BrandVoiceResult>
  confidence: Timed<ConfidenceResult>
}

/**
 * Output stage for one reply (or the reply so far, when releasing it sentence by sentence).
 * A `regenerate` on a retry becomes `escalate`: a reply is regenerated at most once.
 */
export function checkOutput(reply: string, context: OutputContext, { now }: StageOptions = {}): OutputReport {
  const attempt = context.attempt ?? 0
  const pii = timed(() => checkPii(reply), now)
  const grounding = timed(() => (context.grounding ? checkGrounding(reply, context.grounding, { attempt }) : UNCHECKED), now)
  const brandVoice = timed(() => checkBrandVoice(reply, context.brandVoice, { firstReply: context.firstReply ?? false }), now)
  // A claim about to be regenerated does not count against confidence yet; after the retry it does.
  const retrying = grounding.verdict === 'regenerate'
  const signals = retrying ? { ...context.signals } : { ...context.signals, grounding: { coverage: grounding.coverage, unsupported: grounding.unsupported.length } }
  const confidence = timed(() => scoreConfidence(signals, context.confidence), now)
  const decisive = mostSevere([pii, grounding, brandVoice, confidence].filter((r) => r.verdict !== 'allow'))
  const verdict = decisive?.verdict === 'regenerate' && attempt > 0 ? 'escalate' : (decisive?.verdict ?? 'allow')
  const category = verdict === 'allow' || verdict === 'regenerate' ? undefined : categoryOf(decisive, confidence)
  return { verdict, ...(decisive ? { decisive } : {}), ...(category ? { category } : {}), pii, grounding, brandVoice, confidence }
}

function categoryOf(decisive: CheckResult | undefined, confidence: ConfidenceResult): EscalationCategory | undefined {
  if (confidence.category) return confidence.category
  if (decisive?.check === 'grounding') return 'unsupported_claim'
  if (decisive?.check === 'brand_voice') return 'off_brand'
  if (decisive?.check === 'pii') return 'personal_data'
  return undefined
}
