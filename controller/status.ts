// The status the controller writes back on a custom resource: the `Accepted` condition (True with the version
// in force, False with the reason, Unknown while the store is unreachable) and, for a RoutingPolicy that workers
// refuse, `Loaded` (False, with the workers and why). Pure; the same outcome gives the same status, so a status
// write that changes nothing is skipped and never loops.
import type { VersionRefusal } from '../lib/routing-rejection.ts'
import type { Applied } from './kinds.ts'

export interface Condition {
  type: 'Accepted' | 'Loaded'
  status: 'True' | 'False' | 'Unknown'
  reason: string
  message: string
  observedGeneration?: number
  lastTransitionTime: string
}

export interface ResourceStatus {
  observedGeneration?: number
  appliedVersion?: number
  tenant?: string
  conditions: Condition[]
}

/** Why a resource was not accepted: `Invalid` (fix the spec), `Conflict`, or `Retrying` (the store failed). */
export type Refusal = { reason: 'Invalid' | 'Conflict' | 'Retrying'; message: string }

export type Outcome = ({ accepted: true } & Applied) | ({ accepted: false } & Refusal)

// A condition message is for a person reading `kubectl describe`; the API server caps it at 32 KiB.
const MAX_MESSAGE = 4000

/** What the workers refuse of the version in force; `unknown` (their reports could not be read) keeps the last word. */
export type Refusals = VersionRefusal | undefined | 'unknown'

const statusOf = (o: Outcome): Condition['status'] => (o.accepted ? 'True' : o.reason === 'Retrying' ? 'Unknown' : 'False')
const conditionOf = (status: unknown, type: Condition['type']) => (status as Partial<ResourceStatus> | undefined)?.conditions?.find((c) => c.type === type)

/** `type` with this status, reason and message; the transition time moves only when the condition's status does. */
function condition(previous: unknown, type: Condition['type'], now: Date, c: Pick<Condition, 'status' | 'reason' | 'message' | 'observedGeneration'>): Condition {
  const before = conditionOf(previous, type)
  return {
    type, status: c.status, reason: c.reason, message: c.message.slice(0, MAX_MESSAGE),
    ...(c.observedGeneration === undefined ? {} : { observedGeneration: c.observedGeneration }),
    lastTransitionTime: before?.status === c.status ? before.lastTransitionTime : now.toISOString().replace(/\.\d+Z$/, 'Z'),
  }
}

/** The status after `outcome`, with the workers' refusals of the version in force. */
export function nextStatus(previous: unknown, generation: number | undefined, outcome: Outcome, now: Date, refusals?: Refusals): ResourceStatus {
  const accepted = condition(previous, 'Accepted', now, {
    status: statusOf(outcome), reason: outcome.reason, message: outcome.message, ...(generation === undefined ? {} : { observedGeneration: generation }),
  })
  const kept = (previous as Partial<ResourceStatus> | undefined)
  const status = {
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    // A refused or failed spec leaves the version in force as it was: say which one that is.
    ...(outcome.accepted ? pick(outcome) : pick({ version: kept?.appliedVersion, tenant: kept?.tenant })),
    conditions: [accepted],
  }
  return withRefusals(status, refusals, now, previous)
}

/**
 * `status` with its `Loaded` condition for `refusals`: False while any worker refuses the version in force, absent
 * otherwise (no refusal cannot tell "loaded everywhere" from "not polled yet"). `previous`: where the condition's
 * last word and transition time come from, when not from `status` itself.
 */
export function withRefusals(status: ResourceStatus, refusals: Refusals, now: Date, previous: unknown = status): ResourceStatus {
  const others = status.conditions.filter((c) => c.type !== 'Loaded')
  const kept = conditionOf(previous, 'Loaded')
  if (refusals === 'unknown') return { ...status, conditions: [...others, ...(kept ? [kept] : [])] }
  if (!refusals) return { ...status, conditions: others }
  const loaded = condition(previous, 'Loaded', now, {
    status: 'False', reason: 'Rejected', message: refusals.message,
    ...(status.observedGeneration === undefined ? {} : { observedGeneration: status.observedGeneration }),
  })
  return { ...status, conditions: [...others, loaded] }
}

const pick = (o: { version?: number; tenant?: string }) => ({
  ...(o.version === undefined ? {} : { appliedVersion: o.version }),
  ...(o.tenant === undefined ? {} : { tenant: o.tenant }),
})

/** JSON with sorted keys, so two statuses compare by content. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (typeof value !== 'object' || value === null) return JSON.stringify(value)
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`
}

export const sameStatus = (a: unknown, b: unknown): boolean => canonical(a ?? null) === canonical(b ?? null)
