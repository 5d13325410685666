// Automatic demotion: every worker runs the check on a timer; for each level the gate raised for an agent and
// conversation type, it reads that type's KPIs over the suite's floor window and, when a floor broke, lowers the
// level one step with a recorded decision. Storage decides each demotion once (the level row is locked and
// re-read), so two workers checking at the same moment record one decision between them.
import type { AutonomyKpis } from '../../lib/autonomy.ts'
import type { Clock } from '../../lib/clock.ts'
import type { Logger } from '../../lib/log.ts'
import type { ArenaSuites, PromotionDecision, PromotionDecisions, Resources } from '../../storage/index.ts'
import { decideDemotion, FLOOR_DEFAULTS, type KpiFloors } from './kpi-floors.ts'
import type { SuiteThresholds } from './promotion-gate.ts'

/** Who approves an automatic demotion, in the decision record. */
export const DEMOTION_APPROVER = 'platform:kpi-floors'

/** The KPIs of one agent's conversations of one type, started in [from, to). */
export type TypeKpis = (q: { tenantId: string; agent: string; conversationType: string; from: Date; to: Date; now: number }) => Promise<AutonomyKpis>

export interface DemotionCheckDeps {
  promotions: Pick<PromotionDecisions, 'raised' | 'demote'>
  /** Where the agent's AgentPolicy in force is read, for the decision's record. */
  resources: Pick<Resources, 'resolve'>
  suites: Pick<ArenaSuites, 'get'>
  kpis: TypeKpis
  clock: Clock
  log: Logger
}

const DAY_MS = 86_400_000

/** The AgentPolicy an agent names and its version in force, as decisions record them: `2026-12-04.3 (v2)`. */
export async function policyInForce(resources: Pick<Resources, 'resolve'>, tenantId: string, name: string | undefined): Promise<{ policy: string | null; policyVersion: string | null }> {
  if (!name) return { policy: null, policyVersion: null }
  const found = await resources.resolve({ tenantId, kind: 'AgentPolicy', name })
  return { policy: name, policyVersion: found?.spec ? `${(found.spec as { version?: string }).version ?? ''} (v${found.version})`.trim() : null }
}

/** One pass over every raised level; returns the demotions this call recorded. */
export async function checkDemotions(deps: DemotionCheckDeps): Promise<PromotionDecision[]> {
  const now = deps.clock.now()
  const recorded: PromotionDecision[] = []
  for (const level of await deps.promotions.raised()) {
    const suite = await deps.suites.get(level.tenantId, level.suite)
    const floors = (suite?.thresholds as SuiteThresholds | undefined)?.kpiFloors
    // A suite without floors never asked for automatic demotion.
    if (!floors) continue
    const windowDays = floors.windowDays ?? FLOOR_DEFAULTS.windowDays
    const kpis = await deps.kpis({
      tenantId: level.tenantId, agent: level.agent, conversationType: level.conversationType, from: new Date(now - windowDays * DAY_MS), to: new Date(now), now,
    })
    const verdict = decideDemotion(level.mode, kpis, floors)
    if (!verdict.to) continue
    const agent = await deps.resources.resolve({ tenantId: level.tenantId, kind: 'Agent', name: level.agent })
    const policy = await policyInForce(deps.resources, level.tenantId, (agent?.spec as { policy?: string } | undefined)?.policy)
    const decision = await deps.promotions.demote(level, {
      agent: level.agent, conversationType: level.conversationType, fromMode: level.mode, toMode: verdict.to, suite: level.suite, runId: null,
      approver: DEMOTION_APPROVER, ...policy, thresholds: floorsOf(floors, windowDays), measured: verdict.measured,
      outcome: 'demoted', reasons: verdict.reasons, agentVersion: null,
    })
    if (!decision) continue
    deps.log.warn('maturity lowered: KPIs below a floor', {
      tenantId: level.tenantId, agent: level.agent, conversationType: level.conversationType, from: level.mode, to: verdict.to, reasons: verdict.reasons.join('; '),
    })
    recorded.push(decision)
  }
  return recorded
}

const floorsOf = (floors: KpiFloors, windowDays: number) => ({ kpiFloors: { ...floors, windowDays } })

/** Every `intervalMs`, one check; a tick still running when the next is due is not doubled. */
export function startDemotionTimer(deps: DemotionCheckDeps & { intervalMs: number }): { close(): Promise<void> } {
  let running: Promise<void> | undefined
  const timer = deps.intervalMs > 0 ? setInterval(() => {
    running ??= checkDemotions(deps).then(() => undefined)
      .catch((error) => deps.log.warn('demotion check failed', { error: String(error) })).finally(() => { running = undefined })
  }, deps.intervalMs) : undefined
  return { async close() { clearInterval(timer); await running } }
}
