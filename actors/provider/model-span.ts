// What a model call puts on its span: GenAI semantic-convention attributes, and (only when capture is on)
// the prompt and the response, PII-redacted and truncated. Pure functions of the call's data.
import type { Attributes } from '@opentelemetry/api'
import type { PoolResults } from '../protocol.ts'
import type { ProviderMessage, RoutedCompletion } from '../../providers/index.ts'
import { ATTR } from '../../lib/spans.ts'
import { redactPii } from '../../policy/index.ts'

// Span attributes travel in every export batch; a long conversation's prompt is cut here.
const MAX_CONTENT_CHARS = 16_000

/** `routing`: which policy version and rule chose the model, and what pushed the call down its chain. */
export function modelAttributes(
  result: PoolResults['provider.complete'], finishReason: string, routing: Pick<RoutedCompletion, 'policyVersion' | 'rule' | 'degradedBy'>,
): Attributes {
  const provenance = {
    [ATTR.routingPolicyVersion]: routing.policyVersion, [ATTR.routingRule]: routing.rule, [ATTR.routingDegradedBy]: routing.degradedBy,
  }
  return {
    [ATTR.system]: result.provider,
    [ATTR.providerName]: result.provider,
    [ATTR.requestModel]: result.model,
    [ATTR.responseModel]: result.model,
    [ATTR.finishReasons]: [finishReason],
    [ATTR.inputTokens]: result.usage.inputTokens,
    [ATTR.outputTokens]: result.usage.outputTokens,
    [ATTR.cachedTokens]: result.usage.cachedTokens,
    [ATTR.costUsd]: result.costUsd,
    [ATTR.fallbackPath]: result.path,
    'switchboard.tool_calls': result.toolCalls.map((c) => c.name),
    ...(result.escalate ? { 'switchboard.escalate': result.escalate } : {}),
    // Absent without a routing policy (and degraded_by when nothing degraded): an undefined attribute is invalid.
    ...Object.fromEntries(Object.entries(provenance).filter(([, v]) => v !== undefined)),
  }
}

const clip = (json: string) => (json.length > MAX_CONTENT_CHARS ? `${json.slice(0, MAX_CONTENT_CHARS)}…` : json)

/** `gen_ai.input.messages` / `gen_ai.output.messages`; the system instructions are left out (they are config, not data). */
export function contentAttributes(messages: ProviderMessage[], result: PoolResults['provider.complete']): Attributes {
  const input = messages.map((m) => ({
    role: m.role,
    parts: [{ type: m.role === 'tool' ? 'tool_call_response' : 'text', content: redactPii(m.content) }],
  }))
  const output = [{
    role: 'assistant',
    parts: [
      { type: 'text', content: redactPii(result.text) },
      ...result.toolCalls.map((c) => ({ type: 'tool_call', id: c.id, name: c.name, arguments: redactPii(JSON.stringify(c.arguments)) })),
    ],
  }]
  return { [ATTR.inputMessages]: clip(JSON.stringify(input)), [ATTR.outputMessages]: clip(JSON.stringify(output)) }
}
