// Support KPIs in the console: the tenant's headline figures over a window with a series per period, and the same
// figures by conversation type and by maturity level, read by supervisors, QA reviewers and admins.
import { Elysia, t } from 'elysia'
import { DEFAULT_KPI_SETTINGS, type KpiSettings } from '../../kpis/index.ts'
import type { Clock } from '../../lib/clock.ts'
import type { Storage } from '../../storage/index.ts'
import { judgedBreakdown, judgePending } from '../routes/kpis.ts'
import { QueryInteger } from '../schemas.ts'
import { REVIEWERS } from './roles.ts'
import { consoleGuard, type ConsoleGuardDeps } from './session-guard.ts'

export interface ConsoleKpiRouteDeps extends ConsoleGuardDeps {
  storage: Pick<Storage, 'kpiOutcomes'>
  clock: Clock
  /** @defaultValue DEFAULT_KPI_SETTINGS */
  settings?: KpiSettings
}

const DAY_MS = 86_400_000

export function consoleKpiRoutes(deps: ConsoleKpiRouteDeps) {
  const settings = deps.settings ?? DEFAULT_KPI_SETTINGS
  return new Elysia({ name: 'console-kpis' })
    .use(consoleGuard(deps))
    .get('/console/api/kpis', async ({ person, query }) => {
      const now = deps.clock.now()
      const days = query.days ?? 30
      const window = { tenantId: person.tenantId, from: new Date(now - days * DAY_MS), to: new Date(now), agent: query.agent }
      // Daily points up to two months; weekly beyond, so a chart never has more than about sixty bars.
      await judgePending(deps.storage, person.tenantId, now, settings)
      const [overall, byType, byLevel] = await Promise.all([
        judgedBreakdown(deps.storage, { ...window, period: days <= 62 ? 'day' : 'week' }, settings),
        judgedBreakdown(deps.storage, { ...window, groupBy: ['intent'] }, settings),
        judgedBreakdown(deps.storage, { ...window, groupBy: ['mode'] }, settings),
      ])
      return {
        window: { from: window.from.toISOString(), to: window.to.toISOString(), days },
        total: overall.total, series: overall.series ?? [], trend: overall.trend ?? null,
        byType: byType.groups.map((g) => ({ type: g.key.intent ?? null, kpis: g.kpis })),
        byLevel: byLevel.groups.map((g) => ({ level: g.key.mode ?? null, kpis: g.kpis })),
      }
    }, {
      roles: REVIEWERS,
      query: t.Object({
        days: t.Optional(QueryInteger('days', 1, 366)), agent: t.Optional(t.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })),
      }, { additionalProperties: false }),
      detail: { summary: "The tenant's KPIs over a window: a series per period and the figures by type and by level", tags: ['console'] },
    })
}
