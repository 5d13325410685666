// A migrated, seeded retail schema per test file, plus a snapshot of the seeded tables so that each test
// can start from a fresh seed in one round trip instead of re-seeding from db.json.
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts'
import { RETAIL_TOOLS, createToolExecutor, createToolRegistry, seedRetail, type ToolDefinition, type ToolExecutor } from '../../../tools/index.ts'

const DATA_TABLES = [
  'retail_products',
  'retail_items',
  'retail_users',
  'retail_payment_methods',
  'retail_orders',
  'retail_order_items',
  'retail_fulfillments',
  'retail_payments',
]

// The tools only ever update these rows in place (and append payments), so a reset rewrites just the rows
// that differ from the snapshot: ~10 ms, where deleting and re-inserting all ~7k rows took ~400 ms.
const UPDATED_IN_PLACE: Record<string, string[]> = {
  retail_users: ['user_id'],
  retail_payment_methods: ['id'],
  retail_orders: ['order_id'],
  retail_order_items: ['order_id', 'position'],
}

async function buildReset(db: TestDatabase, snap: string): Promise<string> {
  const statements = ['delete from tool_calls;', 'delete from retail_outbox;', 'delete from retail_disputes;']
  statements.push(`delete from retail_payments t where not exists (select 1 from "${snap}".retail_payments s where s.order_id = t.order_id and s.seq = t.seq);`)
  for (const [table, keys] of Object.entries(UPDATED_IN_PLACE)) {
    const columns = await db.sql<{ column_name: string }[]>`
      select column_name from information_schema.columns where table_schema = ${db.schema} and table_name = ${table} order by ordinal_position`
    const cols = columns.map((c) => c.column_name)
    const match = keys.map((k) => `t.${k} = s.${k}`).join(' and ')
    statements.push(`update ${table} t set (${cols.join(', ')}) = (${cols.map((c) => `s.${c}`).join(', ')})
      from "${snap}".${table} s where ${match} and t::text <> s::text;`)
  }
  return statements.join('\n')
}

export interface RetailFixture extends TestDatabase {
  executor: ToolExecutor
  /** Puts every retail table back to the freshly seeded state and forgets recorded tool calls. */
  reset(): Promise<void>
  close(): Promise<void>
}

/** `tools` replaces RETAIL_TOOLS (tests swap one tool for a failing one). */
export async function createRetailFixture(tools: ToolDefinition[] = [...RETAIL_TOOLS]): Promise<RetailFixture> {
  const db = await createTestDatabase()
  await seedRetail(db.sql)
  const snap = `${db.schema}_seed`
  await db.sql.unsafe(`create schema "${snap}"; ${DATA_TABLES.map((t) => `create table "${snap}".${t} as table ${t};`).join(' ')}`)
  const resetSql = await buildReset(db, snap)
  const executor = createToolExecutor({ registry: createToolRegistry(tools), sql: db.sql })
  return {
    ...db,
    executor,
    reset: async () => void (await db.sql.begin((tx) => tx.unsafe(resetSql))),
    async close() {
      await db.sql.unsafe(`drop schema if exists "${snap}" cascade`)
      await db.drop()
    },
  }
}
