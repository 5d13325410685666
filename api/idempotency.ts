// The Idempotency-Key header: a keyed write runs once per tenant and key, and every retry of the same
// request gets the first response (marked `idempotent-replayed: true`); the same key on another request is a 409.
import { createHash } from 'node:crypto'
import { AppError } from '../lib/errors.ts'
import type { Storage, TxSql } from '../storage/index.ts'
import type { TenantPrincipal } from './auth.ts'

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/

export interface Keyed<T> {
  status: number
  body: T
  replayed: boolean
}

export async function idempotent<T>(
  storage: Pick<Storage, 'idempotency' | 'sql'>,
  tenant: TenantPrincipal,
  request: Request,
  payload: unknown,
  // Without a key there is no record to write in the same transaction: `tx` is undefined, so the work may
  // batch its writes with concurrent requests.
  work: (tx?: TxSql) => Promise<{ status: number; body: T }>,
): Promise<Keyed<T>> {
  const key = request.headers.get('idempotency-key')
  if (key === null) return { ...(await work()), replayed: false }
  if (!KEY_PATTERN.test(key)) throw new AppError('request.invalid', 'Idempotency-Key must be 1-255 visible ASCII characters')
  const path = new URL(request.url).pathname
  const fingerprint = createHash('sha256').update(`${request.method} ${path}\n${JSON.stringify(payload ?? null)}`).digest('hex')
  return storage.idempotency.once({ tenantId: tenant.tenantId, key, fingerprint }, work)
}

/** Sets the status and the replay marker, returns the body. */
export function answer<T>(set: { status?: number | string; headers: Record<string, string | number> }, keyed: Keyed<T>): T {
  set.status = keyed.status
  if (keyed.replayed) set.headers['idempotent-replayed'] = 'true'
  return keyed.body
}
