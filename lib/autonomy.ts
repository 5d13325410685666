// When an AI agent may be given more autonomy: Assist (it drafts, humans send) → Execute (it handles tier-1 on its
// own) → Operate (it runs most of the queue). Each step has bars on its KPIs over a window and a minimum number
// of conversations, so a lucky week of ten conversations promotes nobody. Pure: the KPIs come from storage.

export const AUTONOMY_LEVELS = ['assist', 'execute', 'operate'] as const
export type AutonomyLevel = (typeof AUTONOMY_LEVELS)[number]

/** What the bars read (storage's AgentKpis has these and more). */
export interface AutonomyKpis {
  conversations: number
  resolutionRate: number | null
  escalationRate: number | null
  csat: { average: number | null; ratings: number }
}

export interface AutonomyBar {
  minConversations: number
  minResolutionRate: number
  maxEscalationRate: number
  minCsat: number
  /** Ratings needed before the CSAT average counts. */
  minRatings: number
}

/** The default bars of each step above Assist. */
export const AUTONOMY_BARS: Record<Exclude<AutonomyLevel, 'assist'>, AutonomyBar> = {
  execute: { minConversations: 50, minResolutionRate: 0.6, maxEscalationRate: 0.35, minCsat: 4.0, minRatings: 20 },
  operate: { minConversations: 200, minResolutionRate: 0.8, maxEscalationRate: 0.2, minCsat: 4.3, minRatings: 50 },
}

export interface AutonomyAdvice {
  /** The highest level whose bars (and those of every level below) the KPIs meet. */
  level: AutonomyLevel
  /** The next level and what still keeps the agent from it; absent at the top. */
  next?: { level: AutonomyLevel; missing: string[] }
}

const pct = (n: number) => `${Math.round(n * 1000) / 10}%`

/** What keeps the KPIs below `bar`, in words an operator reads. */
function shortfalls(k: AutonomyKpis, bar: AutonomyBar): string[] {
  const missing: string[] = []
  if (k.conversations < bar.minConversations) missing.push(`${k.conversations} conversations, needs ${bar.minConversations}`)
  if (k.resolutionRate === null || k.resolutionRate < bar.minResolutionRate) {
    missing.push(`resolution rate ${k.resolutionRate === null ? 'unknown' : pct(k.resolutionRate)}, needs ${pct(bar.minResolutionRate)}`)
  }
  if (k.escalationRate === null || k.escalationRate > bar.maxEscalationRate) {
    missing.push(`escalation rate ${k.escalationRate === null ? 'unknown' : pct(k.escalationRate)}, at most ${pct(bar.maxEscalationRate)}`)
  }
  if (k.csat.ratings < bar.minRatings) missing.push(`${k.csat.ratings} CSAT ratings, needs ${bar.minRatings}`)
  else if ((k.csat.average ?? 0) < bar.minCsat) missing.push(`CSAT ${k.csat.average?.toFixed(2)}, needs ${bar.minCsat.toFixed(1)}`)
  return missing
}

export function adviseAutonomy(k: AutonomyKpis, bars = AUTONOMY_BARS): AutonomyAdvice {
  let level: AutonomyLevel = 'assist'
  for (const next of ['execute', 'operate'] as const) {
    const missing = shortfalls(k, bars[next])
    if (missing.length > 0) return { level, next: { level: next, missing } }
    level = next
  }
  return { level }
}
