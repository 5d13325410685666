// Budget decisions: how much of each scope is left, and how a breach degrades the chain step by step —
// a cheaper model of the chain, then the local model, then escalation. Pure: spend comes in as numbers.
import type { BudgetLimits } from './routing-policy.ts'

export type BudgetScope = 'conversation' | 'customerDay' | 'tenantDay' | 'tenantMonth'
export const BUDGET_SCOPES: readonly BudgetScope[] = ['conversation', 'customerDay', 'tenantDay', 'tenantMonth']

/** USD already spent per scope; a scope that does not apply (no customer id) is absent. */
export type BudgetSpend = Partial<Record<BudgetScope, number>>

export interface BudgetStatus {
  scope: BudgetScope
  limitUsd: number
  spentUsd: number
  remainingUsd: number
}

export type BudgetPlan<T> =
  /** `step` names the degradation when the first choice changed, for `degradedBy`. */
  | { chain: T[]; step?: string }
  /** Nothing may run: hand the conversation to a human with this reason. */
  | { escalate: string }

const LIMIT_FIELD = {
  conversation: 'conversationUsd',
  customerDay: 'customerDailyUsd',
  tenantDay: 'tenantDailyUsd',
  tenantMonth: 'tenantMonthlyUsd',
} as const satisfies Record<BudgetScope, keyof BudgetLimits>

const usd = (n: number) => `$${n.toFixed(4)}`

/** Every limited scope that applies to this request, with what is left of it. */
export function budgetStatus(limits: BudgetLimits, spent: BudgetSpend): BudgetStatus[] {
  return BUDGET_SCOPES.flatMap((scope) => {
    const limitUsd = limits[LIMIT_FIELD[scope]]
    const spentUsd = spent[scope]
    if (limitUsd === undefined || spentUsd === undefined) return []
    return [{ scope, limitUsd, spentUsd, remainingUsd: limitUsd - spentUsd }]
  })
}

/**
 * Degrades `chain` to what the tightest scope can still pay for. A spent scope escalates: a budget is the
 * most a conversation, customer or tenant may consume, and past it a human decides, not a cheaper model.
 */
export function applyBudget<T extends { name: string }>(
  chain: readonly T[],
  statuses: readonly BudgetStatus[],
  estimateUsd: (target: T) => number,
  local: T | undefined,
): BudgetPlan<T> {
  const tightest = [...statuses].sort((a, b) => a.remainingUsd - b.remainingUsd)[0]
  if (!tightest) return { chain: [...chain] }
  const where = `${tightest.scope} budget of ${usd(tightest.limitUsd)}`
  if (tightest.remainingUsd <= 0) return { escalate: `${where} is spent (${usd(tightest.spentUsd)})` }
  const fits = chain.filter((t) => estimateUsd(t) <= tightest.remainingUsd)
  const first = chain[0]
  if (first && fits[0] === first) return { chain: fits }
  const next = fits[0] ?? local
  if (!next) return { escalate: `${where}: ${usd(tightest.remainingUsd)} left and no model fits` }
  const rung = next === local || (local && next.name === local.name) ? 'local model' : 'cheaper model'
  const step = `budget.${tightest.scope}: ${first?.name ?? '-'} → ${next.name} (${rung}, ${usd(tightest.remainingUsd)} left)`
  return { chain: fits.length > 0 ? fits : [next], step }
}
