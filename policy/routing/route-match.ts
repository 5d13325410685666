// Rule matching and target resolution: which rule a request falls under, and the ordered chain of model
// names it gets. Pure: a weighted split takes its random number from the caller.
import type { RouteMatch, RouteTarget } from './routing-policy.ts'

/** What a routing rule can see about a request. */
export interface RouteFacts {
  agent: string
  intent?: string
  maturity?: 'assist' | 'execute' | 'operate'
  segment?: string
  channel?: string
}

const FIELDS = ['agent', 'intent', 'maturity', 'segment', 'channel'] as const

/** Every field the rule lists must hold; a fact the request lacks never matches a listed field. */
export function matches(match: RouteMatch, facts: RouteFacts): boolean {
  return FIELDS.every((field) => {
    const allowed: readonly string[] | undefined = match[field]
    if (!allowed) return true
    const value = facts[field]
    return value !== undefined && allowed.includes(value)
  })
}

/**
 * The ordered model names of a target. A split puts the weighted pick first (`random` in [0, 1)), then
 * the other split members in listed order, then `fallback`: every member stays a fallback for the pick.
 */
export function resolveTarget(target: RouteTarget, random: number): string[] {
  if (target.chain) return [...target.chain]
  const split = target.split ?? []
  const picked = pickWeighted(split, random)
  const rest = split.map((s) => s.model).filter((m) => m !== picked)
  return dedupe([picked, ...rest, ...(target.fallback ?? [])])
}

function pickWeighted(split: readonly { model: string; weight: number }[], random: number): string {
  const total = split.reduce((sum, s) => sum + s.weight, 0)
  let point = Math.min(Math.max(random, 0), 1 - Number.EPSILON) * total
  for (const s of split) {
    if (point < s.weight) return s.model
    point -= s.weight
  }
  // Float rounding can leave `point` a hair past the last bucket.
  return split[split.length - 1]!.model
}

function dedupe(names: string[]): string[] {
  return names.filter((n, i) => names.indexOf(n) === i)
}
