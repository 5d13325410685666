// What an agent is beyond its definition's CRUD: its mode (a new version of its definition; a platform agent is
// first copied to the tenant), and the tenant's tool catalogue with what each worker found when it loaded it.
import { Elysia, t } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import { RESOURCE_NAME_PATTERN } from '../../resources/index.ts'
import type { ArenaSuites, CatalogueStatus } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { applyResource, type ApplyDeps } from '../resource-apply.ts'

export interface AgentRouteDeps extends GuardDeps {
  apply: ApplyDeps
  catalogue: Pick<CatalogueStatus, 'read'>
  /** Arena suites that gate agents' maturity: a gated agent's mode goes up only through a promotion. */
  gates: Pick<ArenaSuites, 'gating'>
}

const LEVELS = ['assist', 'execute', 'operate']

const AgentParams = t.Object({ name: t.String({ pattern: RESOURCE_NAME_PATTERN }) })
const Mode = t.Union([t.Literal('assist'), t.Literal('execute'), t.Literal('operate')])

export function agentRoutes(deps: AgentRouteDeps) {
  const { resources } = deps.apply
  return new Elysia({ name: 'agents' })
    .use(requestGuard(deps))
    .get('/v1/agents/:name/mode', async ({ params: { name: agent }, tenant }) => {
      const found = await resources.resolve({ tenantId: tenant.tenantId, kind: 'Agent', name: agent })
      if (!found?.spec) throw new AppError('agent.unknown', `agent ${agent} is not defined`)
      return { agent, mode: found.spec.mode, version: found.version }
    }, { scope: ['console', 'admin'], params: AgentParams, detail: { summary: "An agent's mode: assist, execute or operate", tags: ['agents'] } })
    .put('/v1/agents/:name/mode', async ({ params: { name: agent }, body, tenant }) => {
      const found = await resources.resolve({ tenantId: tenant.tenantId, kind: 'Agent', name: agent })
      if (!found?.spec) throw new AppError('agent.unknown', `agent ${agent} is not defined`)
      if (LEVELS.indexOf(body.mode) > LEVELS.indexOf(String(found.spec.mode))) {
        const gating = await deps.gates.gating(tenant.tenantId, agent)
        if (gating.length > 0) {
          throw new AppError('conflict', `agent ${agent} is gated by the Arena suite ${gating.map((g) => g.name).join(', ')}: raise it with POST /v1/agents/${agent}/promotions`)
        }
      }
      const applied = await applyResource(deps.apply, { kind: 'tenant', tenantId: tenant.tenantId, by: `key:${tenant.keyId}` }, {
        kind: 'Agent', name: agent, spec: { ...found.spec, tenant: tenant.tenantId, mode: body.mode }, comment: `mode set to ${body.mode}`,
      })
      return { agent, mode: body.mode, version: applied.resource.version }
    }, {
      scope: ['admin'], params: AgentParams, body: t.Object({ mode: Mode }, { additionalProperties: false }),
      detail: {
        summary: "Set an agent's mode: assist (drafts only), execute or operate", tags: ['agents'],
        description: "Writes a new version of the agent's definition. A platform agent is copied to the tenant first.",
      },
    })
    .get('/v1/tool-catalogue', async ({ tenant }) => ({ data: await deps.catalogue.read(tenant.tenantId) }), {
      scope: ['console', 'admin'],
      detail: {
        summary: "The tenant's tool sources as the workers last loaded them", tags: ['tools'],
        description: 'Each source (the built-in retail tools, each HTTP tool, each MCP server) with its tools, or why it is withdrawn.',
      },
    })
}
