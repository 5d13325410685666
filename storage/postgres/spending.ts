// Spending caps across every worker: money a tool call moves is reserved under a lock per tenant and category
// before the call runs, counted against each cap, kept when the call succeeds and released when it fails.
import type { Sql } from './client.ts'

export interface SpendCaps {
  perConversationUsd?: number
  perCustomerDailyUsd?: number
  perAgentDailyUsd?: number
}

export interface Reservation {
  callId: string
  tenantId: string
  agent: string
  conversationId: string
  subject: string | undefined
  category: string
  amountUsd: number
  caps: SpendCaps
}

export type ReserveOutcome = { ok: true } | { ok: false; cap: keyof SpendCaps; limitUsd: number; spentUsd: number }

export function createSpending(sql: Sql) {
  return {
    /** Reserves the amount unless a cap would be exceeded; a call reserved before (a redelivery) stays reserved. */
    async reserve(r: Reservation, day: string): Promise<ReserveOutcome> {
      return sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(hashtext(${`spend/${r.tenantId}/${r.category}`}))`
        const [mine] = await tx`select 1 from spend_ledger where call_id = ${r.callId}`
        if (mine) return { ok: true } as const
        const [spent] = await tx<{ conversation: number; customer: number; agent: number }[]>`select
            coalesce(sum(amount_usd) filter (where conversation_id = ${r.conversationId}), 0) as conversation,
            coalesce(sum(amount_usd) filter (where subject = ${r.subject ?? null} and day = ${day}), 0) as customer,
            coalesce(sum(amount_usd) filter (where agent = ${r.agent} and day = ${day}), 0) as agent
          from spend_ledger where tenant_id = ${r.tenantId} and category = ${r.category}`
        const checks: Array<[keyof SpendCaps, number | undefined, number]> = [
          ['perConversationUsd', r.caps.perConversationUsd, spent!.conversation],
          ['perCustomerDailyUsd', r.subject ? r.caps.perCustomerDailyUsd : undefined, spent!.customer],
          ['perAgentDailyUsd', r.caps.perAgentDailyUsd, spent!.agent],
        ]
        const over = checks.find(([, limit, used]) => limit !== undefined && Math.round((used + r.amountUsd) * 100) > Math.round(limit * 100))
        if (over) return { ok: false, cap: over[0], limitUsd: over[1]!, spentUsd: over[2] } as const
        await tx`insert into spend_ledger (call_id, tenant_id, agent, conversation_id, subject, category, amount_usd, day, status)
          values (${r.callId}, ${r.tenantId}, ${r.agent}, ${r.conversationId}, ${r.subject ?? null}, ${r.category}, ${r.amountUsd}, ${day}, 'reserved')`
        return { ok: true } as const
      })
    },
    /** The call ran: keep its reservation. */
    async spent(callId: string): Promise<void> {
      await sql`update spend_ledger set status = 'spent' where call_id = ${callId}`
    },
    /** The call did not run, or failed: free its reservation. */
    async release(callId: string): Promise<void> {
      await sql`delete from spend_ledger where call_id = ${callId} and status = 'reserved'`
    },
  }
}
export type Spending = ReturnType<typeof createSpending>
