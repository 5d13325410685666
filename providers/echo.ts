// An instant, offline provider that acknowledges the customer's last message. It carries the first slice and
// the runtime benchmark (where the model must cost nothing) and is never routed to real customers.
import type { Provider, ProviderRequest, ProviderResponse } from './provider.ts'

function lastUserText(req: ProviderRequest): string {
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const m = req.messages[i]
    if (m?.role === 'user') return m.content
  }
  return ''
}

/** `delayMs` simulates model latency so load tests can have turns in flight. */
export function createEchoProvider(delayMs = 0): Provider {
  const complete = async (req: ProviderRequest): Promise<ProviderResponse> => {
    if (delayMs > 0) await Bun.sleep(delayMs)
    const text = `Received: ${lastUserText(req)}`
    return {
      provider: 'echo',
      model: req.model,
      text,
      toolCalls: [],
      usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0 },
      stopReason: 'end',
    }
  }
  return {
    name: 'echo',
    inProcess: true,
    complete,
    async *stream(req) {
      const response = await complete(req)
      yield { type: 'text', delta: response.text }
      yield { type: 'done', response }
    },
  }
}
