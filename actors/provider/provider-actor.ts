// The provider pool's handler: one model call per (turn, step), ever. A retried job finds the recorded
// result and returns it without calling the model again.
import type { ChatTurn, PoolHandlers, PoolResults } from '../protocol.ts'
import type { Provider, ProviderMessage } from '../../providers/provider.ts'
import type { Storage } from '../../storage/index.ts'

export interface ProviderActorDeps {
  storage: Pick<Storage, 'turnSteps'>
  provider: Provider
  model: string
  system: string
}

type Result = PoolResults['provider.complete']

export function toProviderMessages(history: ChatTurn[]): ProviderMessage[] {
  return history
    .filter((t) => t.role !== 'system')
    .map((t) => (t.role === 'customer' ? { role: 'user', content: t.text } : { role: 'assistant', content: t.text }))
}

export function createProviderHandler(deps: ProviderActorDeps): PoolHandlers['provider.complete'] {
  return async (req, delivery) => {
    const { turnId, step, history } = req.payload
    // The actor already skips recorded steps; only a redelivered job can find its own result here.
    const recorded = delivery.attempt > 1 ? await deps.storage.turnSteps.get<Result>(turnId, step) : undefined
    if (recorded) return recorded
    const started = performance.now()
    const res = await deps.provider.complete({ model: deps.model, system: deps.system, messages: toProviderMessages(history) })
    const result: Result = {
      text: res.text, provider: res.provider, model: res.model, usage: res.usage, costUsd: 0, confidence: 1,
    }
    const call = {
      id: req.id, conversationId: req.conversationId, turnId, provider: res.provider, model: res.model,
      ...res.usage, costUsd: result.costUsd, latencyMs: performance.now() - started, fallbackPath: [res.provider],
    }
    return deps.storage.turnSteps.recordModelCall(call, step, result)
  }
}
