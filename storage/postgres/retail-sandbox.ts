// The retail demo database of one schema as an Arena sandbox: a snapshot of its seed, a reset back to it in one
// round trip, and a digest of the state the tools can change, so two runs compare by one string.
import type { Sql } from './client.ts'

// What the retail tools can change; products and items are read-only.
const STATE_TABLES: Array<[table: string, order: string]> = [
  ['retail_users', 'user_id'],
  ['retail_payment_methods', 'id'],
  ['retail_orders', 'order_id'],
  ['retail_order_items', 'order_id, position'],
  ['retail_fulfillments', 'order_id, position'],
  ['retail_payments', 'order_id, seq'],
]
// Rows the tools update in place (payments are appended, outbox and disputes only ever grow).
const UPDATED_IN_PLACE: Record<string, string[]> = {
  retail_users: ['user_id'],
  retail_payment_methods: ['id'],
  retail_orders: ['order_id'],
  retail_order_items: ['order_id', 'position'],
  retail_fulfillments: ['order_id', 'position'],
}

export interface RetailSandbox {
  /** Puts the retail tables back to the snapshot taken when the sandbox was created. */
  reset(): Promise<void>
  /** An md5 of every row the tools can change, in key order. */
  digest(): Promise<string>
  /** Drops the snapshot. */
  close(): Promise<void>
}

/** Snapshots the (already seeded) retail tables of `schema`. */
export async function createRetailSandbox(sql: Sql, schema: string): Promise<RetailSandbox> {
  const snap = `${schema}_seed`
  await sql.unsafe(`drop schema if exists "${snap}" cascade; create schema "${snap}";
    ${STATE_TABLES.map(([t]) => `create table "${snap}".${t} as table ${t};`).join(' ')}`)
  const resetSql = await buildReset(sql, schema, snap)
  const digestSql = `select md5(${STATE_TABLES.map(([t, order]) => `coalesce((select string_agg(x::text, '|' order by ${order}) from ${t} x), '')`).join(" || '#' || ")}) as digest`
  return {
    reset: async () => void (await sql.begin((tx) => tx.unsafe(resetSql))),
    digest: async () => (await sql.unsafe<{ digest: string }[]>(digestSql))[0]!.digest,
    close: async () => void (await sql.unsafe(`drop schema if exists "${snap}" cascade`)),
  }
}

async function buildReset(sql: Sql, schema: string, snap: string): Promise<string> {
  const statements = ['delete from retail_outbox;', 'delete from retail_disputes;']
  statements.push(`delete from retail_payments t where not exists (select 1 from "${snap}".retail_payments s where s.order_id = t.order_id and s.seq = t.seq);`)
  for (const [table, keys] of Object.entries(UPDATED_IN_PLACE)) {
    const columns = await sql<{ column_name: string }[]>`
      select column_name from information_schema.columns where table_schema = ${schema} and table_name = ${table} order by ordinal_position`
    const cols = columns.map((c) => c.column_name)
    const match = keys.map((k) => `t.${k} = s.${k}`).join(' and ')
    statements.push(`update ${table} t set (${cols.join(', ')}) = (${cols.map((c) => `s.${c}`).join(', ')})
      from "${snap}".${table} s where ${match} and t::text <> s::text;`)
  }
  return statements.join('\n')
}
