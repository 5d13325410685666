// Idempotency-Key records. The record is claimed first, in the same transaction as the work, so a concurrent
// retry waits on the row lock and then replays the committed response; failed work leaves no record behind.
import { AppError } from '../../lib/errors.ts'
import type { TransactionSql } from 'postgres'
import type { Sql } from './client.ts'

export interface IdempotentRequest {
  tenantId: string
  key: string
  /** sha256 of method, path and body. */
  fingerprint: string
}

export interface IdempotentResponse<T> {
  status: number
  body: T
  /** True when this is the stored response of an earlier request with the same key. */
  replayed: boolean
}

/** A pool or an open transaction: repositories take either, so work can join a transaction. */
export type TxSql = Sql | TransactionSql

// Keys are honoured for a day (Stripe's window); an older record is replaced by a new request.
const RETENTION = '24 hours'

export function createIdempotency(sql: Sql) {
  return {
    /** Runs `work` once per (tenant, key): a retry with the same request gets the first response. */
    async once<T>(req: IdempotentRequest, work: (tx: TxSql) => Promise<{ status: number; body: T }>): Promise<IdempotentResponse<T>> {
      return sql.begin(async (tx) => {
        const [claimed] = await tx`insert into idempotency_keys (tenant_id, key, fingerprint, status, body)
          values (${req.tenantId}, ${req.key}, ${req.fingerprint}, 0, '{}')
          on conflict (tenant_id, key) do update set fingerprint = excluded.fingerprint, status = 0, body = '{}', created_at = now()
          where idempotency_keys.created_at < now() - ${RETENTION}::interval returning key`
        if (!claimed) return replay<T>(tx, req)
        const result = await work(tx)
        await tx`update idempotency_keys set status = ${result.status}, body = ${tx.json(result.body as never)}
          where tenant_id = ${req.tenantId} and key = ${req.key}`
        return { ...result, replayed: false }
      }) as Promise<IdempotentResponse<T>>
    },
    /** Drops records past the retention window as of `now`; the retention job calls it on every run. */
    async purge(now = new Date()): Promise<number> {
      const rows = await sql`delete from idempotency_keys where created_at < ${now}::timestamptz - ${RETENTION}::interval returning key`
      return rows.length
    },
  }
}

async function replay<T>(tx: TxSql, req: IdempotentRequest): Promise<IdempotentResponse<T>> {
  const [row] = await tx<{ fingerprint: string; status: number; body: T }[]>`select fingerprint, status, body
    from idempotency_keys where tenant_id = ${req.tenantId} and key = ${req.key}`
  if (!row || row.fingerprint !== req.fingerprint) {
    throw new AppError('idempotency.key_reused', 'this Idempotency-Key was already used for a different request')
  }
  return { status: row.status, body: row.body, replayed: true }
}
export type Idempotency = ReturnType<typeof createIdempotency>

/**
 * Deletes the tenant's stored responses that name one of the conversations: the API's keyed writes answer
 * with the conversation itself (`id`, with the customer's details) or with a message posted to it
 * (`conversationId`). For erasure; a retry of such a request after it runs as a new request.
 */
export async function forgetConversationResponses(sql: Sql, tenantId: string, conversationIds: string[]): Promise<number> {
  if (conversationIds.length === 0) return 0
  const rows = await sql`delete from idempotency_keys where tenant_id = ${tenantId}
    and (body ->> 'id' = any(${conversationIds}) or body ->> 'conversationId' = any(${conversationIds})) returning 1`
  return rows.length
}
