// An AI agent's support KPIs over the last days, and the autonomy they support (lib/autonomy.ts): what an
// operator reads before letting the agent draft, answer tier-1 on its own, or run most of the queue.
import { Elysia, t } from 'elysia'
import { adviseAutonomy, AUTONOMY_BARS } from '../../lib/autonomy.ts'
import type { Clock } from '../../lib/clock.ts'
import type { Storage } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { QueryInteger } from '../schemas.ts'

export interface AgentKpisRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'agentKpis'>
  clock: Clock
}

const DAY_MS = 86_400_000

export function agentKpisRoutes(deps: AgentKpisRouteDeps) {
  return new Elysia({ name: 'agent-kpis' })
    .use(requestGuard(deps))
    .get('/v1/agents/:name/kpis', async ({ params: { name: agent }, query, tenant }) => {
      const to = new Date(deps.clock.now())
      const from = new Date(to.getTime() - (query.days ?? 30) * DAY_MS)
      const kpis = await deps.storage.agentKpis.of(tenant.tenantId, agent, from)
      return { agent, window: { from: from.toISOString(), to: to.toISOString() }, kpis, autonomy: adviseAutonomy(kpis), bars: AUTONOMY_BARS }
    }, {
      scope: ['console'],
      params: t.Object({ name: t.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }) }),
      query: t.Object({ days: t.Optional(QueryInteger('days', 1, 365)) }, { additionalProperties: false }),
      detail: {
        summary: "An agent's KPIs and the autonomy they support", tags: ['agents'],
        description: 'Resolution rate (closed without a human), escalation rate, CSAT, cost per conversation and time to '
          + 'resolve, over conversations started in the last `days` (30); and the autonomy level (assist, execute, '
          + 'operate) whose bars they meet, with what still keeps the agent from the next one.',
      },
    })
}
