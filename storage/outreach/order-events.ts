// Order status changes the database trigger recorded, read one transaction at a time (a transaction's rows
// are one occurrence, never split across reads) and removed once every campaign they start has its run.
import type { Sql } from '../postgres/client.ts'

export interface OrderEvent {
  /** The writing transaction: the occurrence key. */
  tx: number
  changes: Array<{ orderId: string; userId: string; from: string; to: string }>
}

export function createOrderEvents(sql: Sql) {
  return {
    /** The oldest `limit` transactions' changes, oldest first. */
    async next(limit: number): Promise<OrderEvent[]> {
      const rows = await sql<{ tx: number; orderId: string; userId: string; from: string; to: string }[]>`
        select e.tx, e.order_id as "orderId", e.user_id as "userId", e.old_status as from, e.new_status as to
        from outreach_order_events e
        where e.tx in (select tx from outreach_order_events group by tx order by min(id) limit ${limit}) order by e.id`
      const byTx = new Map<number, OrderEvent>()
      for (const { tx, ...change } of rows) {
        const event = byTx.get(tx) ?? { tx, changes: [] }
        event.changes.push(change)
        byTx.set(tx, event)
      }
      return [...byTx.values()]
    },
    async remove(tx: number): Promise<void> {
      await sql`delete from outreach_order_events where tx = ${tx}`
    },
  }
}
export type OrderEvents = ReturnType<typeof createOrderEvents>
