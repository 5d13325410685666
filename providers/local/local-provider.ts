// The offline, deterministic `local` provider: the Provider interface over localDecision. No network,
// no keys, no cost; the decision (including escalation) rides on the response as `decision`.
import { RetryableError, TerminalError } from '../../lib/errors.ts'
import type { Provider, ProviderRequest, ProviderResponse, StreamEvent } from '../provider.ts'
import type { IntentModel } from './classifier.ts'
import { localDecision, type LocalDecision } from './decision.ts'
import { loadIntentModel } from './intents.ts'

export interface LocalProviderOptions {
  /** Train from this CSV instead of the shipped Bitext file. @defaultValue data/intents/bitext-train.csv */
  trainingCsv?: string
  /** Use an already trained model (tests, or a model shared between providers). */
  model?: IntentModel
  /** @defaultValue 0.3 */
  confidenceThreshold?: number
  /** What password help tells the customer after verifying the account. */
  passwordResetInstructions?: string
}

/** A response of the local provider: a normal ProviderResponse plus the decision behind it. */
export interface LocalProviderResponse extends ProviderResponse {
  decision: LocalDecision
}

export interface LocalProvider extends Provider {
  readonly name: 'local'
  complete(req: ProviderRequest): Promise<LocalProviderResponse>
}

/** The local provider's price per million tokens: it runs in-process, so every call costs 0. */
export const localPricePerMillion = { input: 0, output: 0, cached: 0 } as const

// Rough token counts (4 characters a token) so usage and budgets see plausible numbers.
const tokens = (s: string): number => Math.ceil(s.length / 4)

function respond(req: ProviderRequest, options: LocalProviderOptions, model: IntentModel): LocalProviderResponse {
  if (req.signal?.aborted) throw new RetryableError('provider.timeout', 'local provider call aborted')
  if (req.messages.length === 0) throw new TerminalError('provider.rejected', 'local provider needs at least one message')
  const decision = localDecision(req.messages, {
    model,
    ...(req.tools ? { tools: req.tools } : {}),
    ...(options.confidenceThreshold !== undefined ? { confidenceThreshold: options.confidenceThreshold } : {}),
    ...(options.passwordResetInstructions ? { passwordResetInstructions: options.passwordResetInstructions } : {}),
  })
  const input = (req.system ?? '') + req.messages.map((m) => m.content).join('\n')
  return {
    provider: 'local',
    model: req.model,
    text: decision.text,
    toolCalls: decision.toolCalls,
    usage: { inputTokens: tokens(input), outputTokens: tokens(decision.text + JSON.stringify(decision.toolCalls)), cachedTokens: 0 },
    stopReason: decision.action === 'tool_calls' ? 'tool_use' : 'end',
    decision,
  }
}

/**
 * Creates the offline provider. The intent model trains on first use (about 1 s) and is shared.
 * @example
 * const local = createLocalProvider()
 * const res = await local.complete({ model: 'local', messages: [{ role: 'user', content: 'Where is my order?' }], tools })
 * if (res.decision.action === 'escalate') handOver(res.decision.reason)
 */
export function createLocalProvider(options: LocalProviderOptions = {}): LocalProvider {
  const model = (): IntentModel => options.model ?? loadIntentModel(options.trainingCsv)
  return {
    name: 'local',
    inProcess: true,
    complete: async (req) => respond(req, options, model()),
    async *stream(req): AsyncIterable<StreamEvent> {
      const response = respond(req, options, model())
      for (const delta of response.text.match(/\S+\s*/g) ?? []) yield { type: 'text', delta }
      for (const call of response.toolCalls) yield { type: 'tool_call', call }
      yield { type: 'done', response }
    },
  }
}

/** True when a response (from any provider) is the local provider handing over to a human. */
export function isLocalEscalation(response: ProviderResponse): response is LocalProviderResponse {
  const decision = (response as Partial<LocalProviderResponse>).decision
  return decision?.action === 'escalate'
}
