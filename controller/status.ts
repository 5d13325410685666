// The status the controller writes back on a custom resource: the `Accepted` condition (True with the version
// in force, False with the reason, Unknown while the store is unreachable). Pure; the same outcome gives the
// same status, so a status write that changes nothing is skipped and never loops.
import type { Applied } from './kinds.ts'

export interface Condition {
  type: 'Accepted'
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

const statusOf = (o: Outcome): Condition['status'] => (o.accepted ? 'True' : o.reason === 'Retrying' ? 'Unknown' : 'False')

/** The status after `outcome`; the transition time moves only when the condition's status does. */
export function nextStatus(previous: unknown, generation: number | undefined, outcome: Outcome, now: Date): ResourceStatus {
  const before = (previous as Partial<ResourceStatus> | undefined)?.conditions?.find((c) => c.type === 'Accepted')
  const status = statusOf(outcome)
  const condition: Condition = {
    type: 'Accepted', status, reason: outcome.reason, message: outcome.message.slice(0, MAX_MESSAGE),
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    lastTransitionTime: before?.status === status ? before.lastTransitionTime : now.toISOString().replace(/\.\d+Z$/, 'Z'),
  }
  const kept = (previous as Partial<ResourceStatus> | undefined)
  return {
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    // A refused or failed spec leaves the version in force as it was: say which one that is.
    ...(outcome.accepted ? pick(outcome) : pick({ version: kept?.appliedVersion, tenant: kept?.tenant })),
    conditions: [condition],
  }
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
