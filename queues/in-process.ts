// Model calls to providers that run in this process (the offline `local` model, `echo`): no queue hop. A hop would buy
// them no isolation, scaling or vendor rate limit, only a job, its events and a wake-up of another Worker for each model
// step (ARCHITECTURE: pure functions run in process). The call keeps its job's retry rule, so it has one retry owner
// either way: the same attempts and backoff, and no attempt that would start after the caller's deadline.
import type { CallOptions, PoolClient, PoolHandlers, PoolKind, PoolRequest, PoolResults, ProviderComplete } from '../actors/protocol.ts'
import { toErrorInfo } from '../lib/errors.ts'
import { attemptsByKind, backoffMs, beforeDeadline, fromErrorInfo } from './retry.ts'

/** `pools` with the model calls to `vendors` made here, by `handler`; every other request still travels its queue. */
export function callingInProcess(pools: PoolClient, vendors: ReadonlySet<string>, handler: PoolHandlers['provider.complete']): PoolClient {
  if (vendors.size === 0) return pools
  const inProcess = (req: PoolRequest): req is ProviderComplete => req.kind === 'provider.complete' && vendors.has(req.payload.vendor)
  return {
    call<K extends PoolKind>(req: Extract<PoolRequest, { kind: K }>, options?: Parameters<PoolClient['call']>[1]): Promise<PoolResults[K]> {
      return inProcess(req) ? (completeHere(req, handler, options) as Promise<PoolResults[K]>) : pools.call(req, options)
    },
    enqueue: (req, options) => pools.enqueue(req, options),
  }
}

async function completeHere(
  req: ProviderComplete, handler: PoolHandlers['provider.complete'], options: CallOptions = {},
): Promise<PoolResults['provider.complete']> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { recordWithReply, held } = options
      return await handler(req, { attempt, ...(recordWithReply ? { recordWithReply } : {}), ...(held ? { held } : {}) })
    } catch (e) {
      const info = toErrorInfo(e)
      const wait = backoffMs(attempt, info.retryAfterMs)
      if (!info.retryable || attempt >= attemptsByKind[req.kind] || !beforeDeadline(req.payload.deadline, wait)) throw fromErrorInfo(info)
      await Bun.sleep(wait)
    }
  }
}
