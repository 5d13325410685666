// How a run of one τ²-bench retail task is graded: the database the agent left behind against the one the
// gold actions leave behind (each replayed through the real tools from the same seed), and every write the
// agent made that the gold actions do not contain (a wrong write, counted apart from a failed task).
import type { Sql } from '../../storage/index.ts'

export const WRITE_TOOLS = new Set(['cancel_pending_order', 'modify_pending_order_address', 'modify_pending_order_items',
  'modify_pending_order_payment', 'modify_user_address', 'return_delivered_order_items', 'exchange_delivered_order_items'])

const STATE_TABLES = ['retail_users', 'retail_payment_methods', 'retail_orders', 'retail_order_items', 'retail_payments']

/** A digest of every row the write tools can change, per table. */
export async function fingerprint(sql: Sql): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const table of STATE_TABLES) {
    const [row] = await sql.unsafe<{ digest: string }[]>(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${table} t`)
    out[table] = row?.digest ?? ''
  }
  return out
}

export const sameState = (a: Record<string, string>, b: Record<string, string>): boolean => STATE_TABLES.every((t) => a[t] === b[t])

export interface Action { name: string; arguments: Record<string, unknown> }

// Lists compare as sets: τ²-bench's tools sort item ids, so their order changes nothing.
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(',')}]`
  if (typeof value !== 'object' || value === null) return JSON.stringify(value)
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`
}

const key = (a: Action): string => `${a.name}${canonical(a.arguments)}`

/** The successful writes of a run that no gold action matches. */
export function wrongWrites(made: Action[], gold: Action[]): Action[] {
  const expected = new Set(gold.filter((a) => WRITE_TOOLS.has(a.name)).map(key))
  return made.filter((a) => WRITE_TOOLS.has(a.name) && !expected.has(key(a)))
}

/** The write actions a task's gold trajectory needs, by name (a task counts once per name). */
export const goldWriteNames = (gold: Action[]): string[] => [...new Set(gold.filter((a) => WRITE_TOOLS.has(a.name)).map((a) => a.name))]

/** pass^k over tasks: the mean over tasks of C(c, k) / C(n, k) for c passes in n trials (τ²-bench's estimator). */
export function passHatK(passes: boolean[][], k: number): number {
  const choose = (n: number, r: number): number => {
    if (r > n) return 0
    let c = 1
    for (let i = 0; i < r; i++) c = (c * (n - i)) / (i + 1)
    return c
  }
  const per = passes.map((trials) => choose(trials.filter(Boolean).length, k) / choose(trials.length, k))
  return per.reduce((s, x) => s + x, 0) / Math.max(per.length, 1)
}
