// The figures behind the Prometheus KPI gauges: the judged rows of the last 30 days summed per tenant, agent and
// maturity level, the busiest groups only, so the gauges' label sets stay bounded however many agents exist.
// A scrape reads what the sweep judged; it never judges.
import { reportOf, type KpiSettings } from '../kpis/index.ts'
import type { Clock } from '../lib/clock.ts'
import type { AgentKpiFigures } from '../lib/metrics.ts'
import type { Storage } from '../storage/index.ts'

const WINDOW_MS = 30 * 86_400_000

export interface KpiGaugeDeps {
  storage: Pick<Storage, 'kpiOutcomes'>
  clock: Clock
  settings: KpiSettings
  /** Groups reported at most. @defaultValue 100 */
  limit?: number
}

export async function agentKpiFigures(deps: KpiGaugeDeps): Promise<AgentKpiFigures[]> {
  const now = deps.clock.now()
  const groups = await deps.storage.kpiOutcomes.byAgentAndLevel(new Date(now - WINDOW_MS), new Date(now), deps.limit ?? 100)
  return groups.map((g) => {
    const k = reportOf(g.aggregate, deps.settings.minutesPerReply)
    return {
      tenant: g.tenantId, agent: g.agent, level: g.mode ?? 'unknown', conversations: k.conversations, resolutionRate: k.resolutionRate,
      abandonmentRate: k.abandonmentRate, escalationRate: k.escalationRate, csat: k.csat.average, costPerConversationUsd: k.cost.perConversationUsd,
    }
  })
}
