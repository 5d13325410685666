// Evaluating a rule's conditions and amount against a call's facts. Every comparison is strict: a value that
// is missing never satisfies a condition (a policy fails closed). Pure.
import { operand, resolveRef, type ParsedRef, type RefScope } from './refs.ts'
import type { Amount, Condition, Test } from './schema.ts'

export type Refs = Map<string, ParsedRef>

/** True when `cond` reads `$result`: it can only be checked after the tool ran. */
export const readsResult = (cond: Condition, refs: Refs): boolean =>
  [cond, ...(cond.any ?? [])].some((t) => [t.value, t.equals, t.notEquals, t.atLeast].some((v) => v !== undefined && refs.get(v)?.root === 'result'))

const asNumber = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
  return Number.isFinite(n) ? n : undefined
}

function holdsTest(t: Test, refs: Refs, scope: RefScope): boolean {
  if (t.authenticated !== undefined && (scope.subject !== undefined) !== t.authenticated) return false
  if (t.value === undefined) return true
  const value = resolveRef(refs.get(t.value)!, scope)
  if (t.exists !== undefined && (value !== undefined && value !== null) !== t.exists) return false
  if (t.exists === false) return true
  if (value === undefined || value === null) return false
  if (t.equals !== undefined && !same(value, operand(t.equals, refs, scope))) return false
  if (t.notEquals !== undefined && same(value, operand(t.notEquals, refs, scope))) return false
  if (t.in !== undefined && !t.in.some((v) => same(value, v))) return false
  if (t.startsWith !== undefined && !(typeof value === 'string' && value.startsWith(t.startsWith))) return false
  if (t.atLeast !== undefined) {
    const [have, need] = [asNumber(value), asNumber(operand(t.atLeast, refs, scope))]
    if (have === undefined || need === undefined || have < need) return false
  }
  return true
}

function same(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined || a === null || b === null) return false
  return typeof a === 'object' || typeof b === 'object' ? JSON.stringify(a) === JSON.stringify(b) : String(a) === String(b)
}

export function holds(cond: Condition, refs: Refs, scope: RefScope): boolean {
  if (!holdsTest(cond, refs, scope)) return false
  return cond.any === undefined || cond.any.some((t) => holdsTest(t, refs, scope))
}

/** The money a call moves, in USD rounded to cents; undefined when the policy cannot work it out. */
export function amountOf(amount: Amount, refs: Refs, scope: RefScope): number | undefined {
  if (amount.value) return asNumber(resolveRef(refs.get(amount.value)!, scope))
  const list = amount.sumOf ? resolveRef(refs.get(amount.sumOf)!, scope) : undefined
  if (!Array.isArray(list) || !amount.field) return undefined
  const where = amount.where
  const wanted = where?.in ? resolveRef(refs.get(where.in)!, scope) : undefined
  // Each listed id counts once per time it is listed: a call may name the same item twice.
  const pool = Array.isArray(wanted) ? [...wanted] : undefined
  let cents = 0
  for (const entry of list as Array<Record<string, unknown>>) {
    if (where?.equals !== undefined && String(entry?.[where.field]) !== where.equals) continue
    if (pool) {
      const at = pool.findIndex((w) => same(w, entry?.[where!.field]))
      if (at < 0) continue
      pool.splice(at, 1)
    }
    const n = asNumber(entry?.[amount.field])
    if (n === undefined) return undefined
    cents += Math.round(n * 100)
  }
  if (pool && pool.length > 0) return undefined
  return cents / 100
}
