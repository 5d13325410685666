// Sends one webhook delivery: sign the stored payload, POST it with a timeout, record the attempt. A failure
// throws so the queue retries it; on the final attempt it is recorded as dead instead.
import type { Clock } from '../../lib/clock.ts'
import { RetryableError } from '../../lib/errors.ts'
import { tracedFetch } from '../../lib/spans.ts'
import type { Storage } from '../../storage/index.ts'
import { SIGNATURE_HEADER, signPayload } from './signature.ts'

export interface SenderDeps {
  storage: Pick<Storage, 'webhooks'>
  clock: Clock
  timeoutMs: number
  fetch?: typeof fetch
}

export function createWebhookSender(deps: SenderDeps) {
  const doFetch = deps.fetch ?? fetch
  return async (deliveryId: string, attempt: { attempt: number; final: boolean }): Promise<void> => {
    const target = await deps.storage.webhooks.target(deliveryId)
    if (!target || target.delivery.status !== 'pending') return
    if (!target.active) {
      await deps.storage.webhooks.recordAttempt(deliveryId, { ok: false, error: 'subscription disabled', final: true })
      return
    }
    const body = JSON.stringify(target.delivery.payload)
    const signature = signPayload(target.secret, Math.floor(deps.clock.now() / 1000), body)
    const failure = await post(doFetch, target.url, body, {
      'content-type': 'application/json', [SIGNATURE_HEADER]: signature, 'switchboard-delivery-id': deliveryId,
      'switchboard-attempt': String(attempt.attempt),
    }, deps.timeoutMs)
    await deps.storage.webhooks.recordAttempt(deliveryId, { ok: !failure, ...failure, final: attempt.final })
    if (failure) throw new RetryableError('webhook.failed', `webhook ${deliveryId} failed: ${failure.error}`)
  }
}

async function post(doFetch: typeof fetch, url: string, body: string, headers: Record<string, string>, timeoutMs: number) {
  try {
    const res = await tracedFetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' }, doFetch)
    await res.body?.cancel()
    return res.ok ? undefined : { statusCode: res.status, error: `HTTP ${res.status}` }
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) }
  }
}
