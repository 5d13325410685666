// KPI floors: the least a conversation type's figures may fall to while it keeps a maturity level the gate gave it.
// A promotion needs them to hold; the periodic check demotes a level whose floors broke. Judged only on enough
// conversations, so a bad afternoon of three conversations demotes nobody. Pure: the KPIs are read by the caller.
import { Type, type Static } from '@sinclair/typebox'
import { AUTONOMY_LEVELS, type AutonomyKpis, type AutonomyLevel } from '../../lib/autonomy.ts'

export const KpiFloors = Type.Object({
  /** Below this many conversations in the window the floors are not judged. @defaultValue 20 */
  minConversations: Type.Optional(Type.Integer({ minimum: 1 })),
  minResolutionRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  maxEscalationRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  minCsat: Type.Optional(Type.Number({ minimum: 1, maximum: 5 })),
  /** CSAT ratings needed before `minCsat` is judged. @defaultValue 10 */
  minRatings: Type.Optional(Type.Integer({ minimum: 1 })),
  /** The window the floors read, ending now, in days. @defaultValue 7 */
  windowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
}, { additionalProperties: false })
export type KpiFloors = Static<typeof KpiFloors>

export const FLOOR_DEFAULTS = { minConversations: 20, minRatings: 10, windowDays: 7 } as const

export interface FloorReading {
  /** False when too few conversations (or ratings, for CSAT alone) were there to judge. */
  judged: boolean
  /** Each floor the KPIs are below, in words an operator reads (empty when they hold or were not judged). */
  breaches: string[]
}

const pct = (n: number) => `${Math.round(n * 1000) / 10}%`

export function readFloors(k: AutonomyKpis, floors: KpiFloors): FloorReading {
  const minConversations = floors.minConversations ?? FLOOR_DEFAULTS.minConversations
  if (k.conversations < minConversations) return { judged: false, breaches: [] }
  const breaches: string[] = []
  if (floors.minResolutionRate !== undefined && k.resolutionRate !== null && k.resolutionRate < floors.minResolutionRate) {
    breaches.push(`resolution rate ${pct(k.resolutionRate)} is below the floor of ${pct(floors.minResolutionRate)}`)
  }
  if (floors.maxEscalationRate !== undefined && k.escalationRate !== null && k.escalationRate > floors.maxEscalationRate) {
    breaches.push(`escalation rate ${pct(k.escalationRate)} is above the ceiling of ${pct(floors.maxEscalationRate)}`)
  }
  const csatJudged = k.csat.ratings >= (floors.minRatings ?? FLOOR_DEFAULTS.minRatings)
  if (floors.minCsat !== undefined && csatJudged && k.csat.average !== null && k.csat.average < floors.minCsat) {
    breaches.push(`CSAT ${k.csat.average.toFixed(2)} is below the floor of ${floors.minCsat.toFixed(1)}`)
  }
  return { judged: true, breaches }
}

/** The level one step below (assist stays assist). */
export const levelBelow = (level: AutonomyLevel): AutonomyLevel => AUTONOMY_LEVELS[Math.max(0, AUTONOMY_LEVELS.indexOf(level) - 1)]!

export interface DemotionVerdict {
  /** The level to lower to; undefined when the floors hold or could not be judged. */
  to?: AutonomyLevel
  reasons: string[]
  measured: Record<string, number | string | null>
}

/** Whether a level the gate gave must come down one step: its KPIs broke a floor. */
export function decideDemotion(level: AutonomyLevel, kpis: AutonomyKpis, floors: KpiFloors): DemotionVerdict {
  const reading = readFloors(kpis, floors)
  const measured = {
    conversations: kpis.conversations, resolutionRate: kpis.resolutionRate, escalationRate: kpis.escalationRate,
    csat: kpis.csat.average, csatRatings: kpis.csat.ratings,
  }
  if (level === 'assist' || reading.breaches.length === 0) return { reasons: [], measured }
  return { to: levelBelow(level), reasons: reading.breaches, measured }
}
