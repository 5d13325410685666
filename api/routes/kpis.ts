// Support KPIs over a window: an agent's headline figures with the autonomy they support, and the breakdown by
// conversation type, maturity level, agent, channel and period with the trend. Sums of the judged rows storage keeps;
// a read first judges what the sweep has not yet (the tenant's changed or due conversations), so figures are current.
import { Elysia, t } from 'elysia'
import { adviseAutonomy, AUTONOMY_BARS } from '../../lib/autonomy.ts'
import type { Clock } from '../../lib/clock.ts'
import { AppError } from '../../lib/errors.ts'
import { breakdownOf, DEFAULT_KPI_SETTINGS, DIMENSIONS, judgeOutcomeRow, PERIODS, type Dimension, type KpiBreakdown, type KpiSettings } from '../../kpis/index.ts'
import type { KpiAggregateQuery } from '../../storage/index.ts'
import type { Storage } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { Channel, QueryInteger } from '../schemas.ts'

export interface KpisRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'kpiOutcomes' | 'systemicAlerts'>
  clock: Clock
  /** @defaultValue DEFAULT_KPI_SETTINGS */
  settings?: KpiSettings
}

const DAY_MS = 86_400_000
const AgentName = t.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })

function parseGroupBy(raw: string | undefined): Dimension[] {
  if (!raw) return []
  const dims = [...new Set(raw.split(','))]
  const bad = dims.filter((d) => !(DIMENSIONS as readonly string[]).includes(d))
  if (bad.length > 0) throw new AppError('request.invalid', `groupBy takes ${DIMENSIONS.join(', ')}; not ${bad.join(', ')}`)
  return dims as Dimension[]
}

function windowOf(now: number, q: { from?: string; to?: string; days?: number }): { from: Date; to: Date } {
  const to = q.to ? new Date(q.to) : new Date(now)
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - (q.days ?? 30) * DAY_MS)
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
    throw new AppError('request.invalid', 'from and to must be ISO timestamps with from before to')
  }
  if (to.getTime() - from.getTime() > 366 * DAY_MS) throw new AppError('request.invalid', 'a KPI window spans at most 366 days')
  return { from, to }
}

/** Judges the tenant's conversations that changed or came due since the last sweep, so sums read as of now. */
export async function judgePending(storage: Pick<Storage, 'kpiOutcomes'>, tenantId: string, now: number, settings: KpiSettings): Promise<void> {
  await storage.kpiOutcomes.sweep(new Date(now), (f) => judgeOutcomeRow(f, now, settings), { tenantId })
}

/** The breakdown summed over the judged rows as they stand. */
export async function judgedBreakdown(storage: Pick<Storage, 'kpiOutcomes'>, q: KpiAggregateQuery, settings: KpiSettings): Promise<KpiBreakdown> {
  return breakdownOf(await storage.kpiOutcomes.aggregate(q), settings.minutesPerReply)
}

/** The breakdown over the judged rows, after judging the tenant's conversations that changed or came due. */
export async function kpiBreakdown(storage: Pick<Storage, 'kpiOutcomes'>, q: KpiAggregateQuery, now: number, settings: KpiSettings): Promise<KpiBreakdown> {
  await judgePending(storage, q.tenantId, now, settings)
  return judgedBreakdown(storage, q, settings)
}

/**
 * One agent's KPIs over a window, as its KPI route and the promotion gate read them; of its conversations of one
 * type (the intent of their first classified turn) when `conversationType` is given.
 */
export async function agentKpis(
  storage: Pick<Storage, 'kpiOutcomes'>, tenantId: string, agent: string, window: { from: Date; to: Date }, now: number, settings = DEFAULT_KPI_SETTINGS,
  conversationType?: string,
) {
  return (await kpiBreakdown(storage, { tenantId, from: window.from, to: window.to, agent, intent: conversationType }, now, settings)).total
}

export function kpisRoutes(deps: KpisRouteDeps) {
  const settings = deps.settings ?? DEFAULT_KPI_SETTINGS
  return new Elysia({ name: 'kpis' })
    .use(requestGuard(deps))
    .get('/v1/agents/:name/kpis', async ({ params: { name: agent }, query, tenant }) => {
      const now = deps.clock.now()
      const { from, to } = windowOf(now, query)
      const total = await agentKpis(deps.storage, tenant.tenantId, agent, { from, to }, now, settings)
      return { agent, window: { from: from.toISOString(), to: to.toISOString() }, kpis: total, autonomy: adviseAutonomy(total), bars: AUTONOMY_BARS }
    }, {
      scope: ['console'],
      params: t.Object({ name: AgentName }),
      query: t.Object({ days: t.Optional(QueryInteger('days', 1, 365)) }, { additionalProperties: false }),
      detail: {
        summary: "An agent's KPIs and the autonomy they support", tags: ['kpis'],
        description: 'Over conversations started in the last `days` (30): confirmed resolutions (the customer said so, a '
          + 'positive CSAT, or no reopening and no new contact on the same intent within 72 h), abandoned and reopened '
          + 'conversations apart, CSAT by who handled it, cost per conversation and per resolution, escalation quality, '
          + 'times; and the autonomy level whose bars they meet.',
      },
    })
    .get('/v1/kpis', async ({ query, tenant }) => {
      const now = deps.clock.now()
      const { from, to } = windowOf(now, query)
      const breakdown = await kpiBreakdown(deps.storage, { tenantId: tenant.tenantId, from, to, agent: query.agent, channel: query.channel,
        groupBy: parseGroupBy(query.groupBy), period: query.period }, now, settings)
      return { window: { from: from.toISOString(), to: to.toISOString() }, ...breakdown }
    }, {
      scope: ['console'],
      query: t.Object({
        from: t.Optional(t.String({ format: 'date-time' })), to: t.Optional(t.String({ format: 'date-time' })),
        days: t.Optional(QueryInteger('days', 1, 366)), agent: t.Optional(AgentName), channel: t.Optional(Channel),
        groupBy: t.Optional(t.String({ pattern: '^[a-z]+(,[a-z]+)*$' })),
        period: t.Optional(t.Union(PERIODS.map((p) => t.Literal(p)))),
      }, { additionalProperties: false }),
      detail: {
        summary: 'KPIs by conversation type, maturity level, agent, channel and period', tags: ['kpis'],
        description: '`groupBy` is a comma list of intent, mode, agent, channel; `period` (hour, day, week, month, UTC) adds '
          + 'a series and the trend between its last two periods. Conversations are bucketed by when they started.',
      },
    })
    .get('/v1/alerts', async ({ tenant }) => ({
      data: (await deps.storage.systemicAlerts.list(tenant.tenantId, 100)).map((a) => ({
        ...a, startedAt: a.startedAt.toISOString(), resolvedAt: a.resolvedAt?.toISOString() ?? null })),
    }), {
      scope: ['console'],
      detail: {
        summary: 'Systemic-issue alerts', tags: ['kpis'],
        description: 'Spikes of an intent, a failing tool or a complaint term against their baseline: firing ones first, '
          + 'with the latest count, the baseline and example conversations.',
      },
    })
}
