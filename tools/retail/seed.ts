// Seeds the retail tables from τ²-bench's db.json once per schema: batched multi-row inserts in one
// transaction under an advisory lock, so processes booting together seed exactly once.
import { join } from 'node:path'
import type { Sql } from '../../storage/index.ts'
import type { Tx } from '../types.ts'
import type { Address, Order } from './store.ts'

/** The shipped demo database (data/retail/db.json, MIT, τ²-bench). */
export const DEFAULT_RETAIL_DB_PATH = join(import.meta.dir, '..', '..', 'data', 'retail', 'db.json')
const SEED_VERSION = 1
const SEED_LOCK = 0x5b0a2e

export interface RetailDb {
  products: Record<string, { name: string; product_id: string; variants: Record<string, { item_id: string; options: object; available: boolean; price: number }> }>
  users: Record<string, {
    user_id: string
    name: { first_name: string; last_name: string }
    address: Address
    email: string
    payment_methods: Record<string, { source: string; id: string; brand?: string; last_four?: string; balance?: number }>
    orders: string[]
  }>
  orders: Record<string, Order>
}

export interface SeedOptions {
  /** @defaultValue DEFAULT_RETAIL_DB_PATH */
  path?: string
  /** Seed from this object instead of reading `path`. */
  data?: RetailDb
}

/** Seeds when the schema has not been seeded yet; returns whether it did. Idempotent and safe to race. */
export async function seedRetail(sql: Sql, options: SeedOptions = {}): Promise<boolean> {
  const [state] = await sql`select 1 from retail_seed_state where version = ${SEED_VERSION}`
  if (state) return false
  const db = options.data ?? ((await Bun.file(options.path ?? DEFAULT_RETAIL_DB_PATH).json()) as RetailDb)
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${SEED_LOCK}, hashtext(current_schema()))`
    const [again] = await tx`select 1 from retail_seed_state where version = ${SEED_VERSION}`
    if (again) return false
    for (const [table, rows] of Object.entries(toRows(db))) await insertRows(tx, table, rows)
    await tx`insert into retail_seed_state (version) values (${SEED_VERSION})`
    return true
  })
}

type Row = Record<string, unknown>

function toRows(db: RetailDb): Record<string, Row[]> {
  const products = Object.values(db.products)
  const users = Object.values(db.users)
  const orders = Object.values(db.orders)
  const userPosition = new Map(users.flatMap((u) => u.orders.map((id, i) => [id, i] as const)))
  return {
    retail_products: products.map((p, position) => ({ product_id: p.product_id, name: p.name, position })),
    retail_items: products.flatMap((p) => Object.values(p.variants).map((v, position) =>
      ({ item_id: v.item_id, product_id: p.product_id, options: v.options, available: v.available, price: v.price, position }))),
    retail_users: users.map((u, position) =>
      ({ user_id: u.user_id, first_name: u.name.first_name, last_name: u.name.last_name, email: u.email, ...u.address, position })),
    retail_payment_methods: users.flatMap((u) => Object.values(u.payment_methods).map((m, position) =>
      ({ id: m.id, user_id: u.user_id, source: m.source, brand: m.brand ?? null, last_four: m.last_four ?? null, balance: m.balance ?? null, position }))),
    retail_orders: orders.map((o, position) =>
      ({ order_id: o.order_id, user_id: o.user_id, ...o.address, status: o.status, position, user_position: userPosition.get(o.order_id) ?? position })),
    retail_order_items: orders.flatMap((o) => o.items.map((i, position) =>
      ({ order_id: o.order_id, position, item_id: i.item_id, product_id: i.product_id, name: i.name, price: i.price, options: i.options }))),
    retail_fulfillments: orders.flatMap((o) => o.fulfillments.map((f, position) =>
      ({ order_id: o.order_id, position, tracking_ids: f.tracking_id, item_ids: f.item_ids }))),
    retail_payments: orders.flatMap((o) => o.payment_history.map((p, seq) => ({ order_id: o.order_id, seq, ...p }))),
  }
}

/**
 * One statement per table through json_populate_recordset: a single bind parameter whatever the row
 * count (Postgres caps parameters at 65,535), and Postgres converts jsonb options and text[] from the JSON.
 */
async function insertRows(tx: Tx, table: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return
  await tx.unsafe(`insert into ${table} select * from json_populate_recordset(null::${table}, $1::text::json)`, [JSON.stringify(rows)])
}
