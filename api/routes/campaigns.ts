// What a team does with its campaigns beyond declaring them (PUT /v1/campaigns/:name): start an occurrence now
// or dry-run one (who would be contacted and why, nothing sent), follow a run's progress and decisions, pause
// and resume, and read the outcome figures. Reads need the console scope, actions admin.
import { Elysia, t } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import { RESOURCE_NAME_PATTERN } from '../../resources/index.ts'
import type { OutreachRun, Storage } from '../../storage/index.ts'
import type { TenantPrincipal } from '../auth.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { applyResource, type ApplyDeps } from '../resource-apply.ts'

export interface CampaignRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'outreach'>
  apply: ApplyDeps
}

const Name = t.String({ pattern: RESOURCE_NAME_PATTERN })
const RunId = t.String({ pattern: '^run_[0-9a-f]{20}$' })
const STATUSES = ['pending', 'deferred', 'sent', 'skipped', 'would_send'] as const
const tags = ['campaigns']

const runView = (r: OutreachRun) => ({
  id: r.id, campaign: r.campaign, occurrence: r.occurrence, campaignVersion: r.campaignVersion, dryRun: r.dryRun, status: r.status,
  total: r.total, createdAt: r.createdAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null,
})

export function campaignRoutes(deps: CampaignRouteDeps) {
  const { outreach } = deps.storage
  const campaign = async (tenant: TenantPrincipal, name: string) => {
    const found = await deps.apply.resources.get({ tenantId: tenant.tenantId, kind: 'Campaign', name })
    if (!found?.spec) throw new AppError('not_found', `Campaign ${name} not found`)
    return found
  }
  const run = async (tenant: TenantPrincipal, name: string, id: string) => {
    const found = await outreach.runs.get(id)
    if (!found || found.tenantId !== tenant.tenantId || found.campaign !== name) throw new AppError('not_found', `run ${id} of ${name} not found`)
    return found
  }
  /** Pausing is a new version of the campaign (audited like any change) and stops its runs between pages. */
  const setPaused = async (tenant: TenantPrincipal, name: string, paused: boolean) => {
    const found = await campaign(tenant, name)
    const applied = await applyResource(deps.apply, { kind: 'tenant', tenantId: tenant.tenantId, by: `key:${tenant.keyId}` }, {
      kind: 'Campaign', name, spec: { ...found.spec, paused }, comment: paused ? 'paused' : 'resumed',
    })
    const runs = await outreach.runs.setPaused(tenant.tenantId, name, paused)
    return { campaign: name, paused, version: applied.resource.version, runs }
  }
  return new Elysia({ name: 'campaigns' })
    .use(requestGuard(deps))
    .post('/v1/campaigns/:name/runs', async ({ params: { name }, body, tenant, set }) => {
      const found = await campaign(tenant, name)
      const { run: opened } = await outreach.runs.open({
        tenantId: tenant.tenantId, campaign: name, occurrence: `${body.dryRun ? 'dry' : 'manual'}:${crypto.randomUUID()}`,
        campaignVersion: found.version, spec: found.spec!, dryRun: body.dryRun ?? false, paused: found.spec!.paused === true,
      })
      set.status = 202
      return runView(opened)
    }, {
      scope: ['admin'], params: t.Object({ name: Name }),
      body: t.Object({ dryRun: t.Optional(t.Boolean()) }, { additionalProperties: false }),
      detail: { summary: 'Start an occurrence now; with dryRun, decide who would be contacted and why, and send nothing', tags },
    })
    .get('/v1/campaigns/:name/runs', async ({ params: { name }, tenant }) => ({
      data: (await outreach.runs.list(tenant.tenantId, name)).map(runView),
    }), { scope: ['console', 'admin'], params: t.Object({ name: Name }), detail: { summary: "The campaign's runs, newest first", tags } })
    .get('/v1/campaigns/:name/runs/:runId', async ({ params: { name, runId }, tenant }) => {
      const found = await run(tenant, name, runId)
      const progress = await outreach.deliveries.progress(runId)
      const fraction = progress.total ? progress.decided / progress.total : found.status === 'done' ? 1 : 0
      return { ...runView(found), progress: { ...progress, fraction: Math.round(fraction * 1000) / 1000 } }
    }, {
      scope: ['console', 'admin'], params: t.Object({ name: Name, runId: RunId }),
      detail: { summary: 'A run with its progress: customers decided of the audience, sent, deferred, skipped by reason', tags },
    })
    .get('/v1/campaigns/:name/runs/:runId/decisions', async ({ params: { name, runId }, query, tenant }) => {
      await run(tenant, name, runId)
      const rows = await outreach.deliveries.list(runId, { status: query.status, after: query.after, limit: query.limit ?? 100 })
      return {
        data: rows.map((d) => ({
          customer: d.customerRef, status: d.status, reason: d.reason, dueAt: d.dueAt?.toISOString() ?? null, address: d.address,
          text: d.text, conversationId: d.conversationId, sentAt: d.sentAt?.toISOString() ?? null,
        })),
        next: rows.length === (query.limit ?? 100) ? rows[rows.length - 1]!.id : null,
      }
    }, {
      scope: ['console', 'admin'], params: t.Object({ name: Name, runId: RunId }),
      query: t.Object({
        status: t.Optional(t.Union(STATUSES.map((s) => t.Literal(s)))), after: t.Optional(t.String({ maxLength: 300 })),
        limit: t.Optional(t.Integer({ minimum: 1, maximum: 1000 })),
      }),
      detail: { summary: 'Who the run contacts (or would, in a dry run), who it skips and why', tags },
    })
    .post('/v1/campaigns/:name/pause', ({ params: { name }, tenant }) => setPaused(tenant, name, true),
      { scope: ['admin'], params: t.Object({ name: Name }), detail: { summary: 'Pause: runs stop between pages, new occurrences wait', tags } })
    .post('/v1/campaigns/:name/resume', ({ params: { name }, tenant }) => setPaused(tenant, name, false),
      { scope: ['admin'], params: t.Object({ name: Name }), detail: { summary: 'Resume paused runs where they stopped', tags } })
    .get('/v1/campaigns/:name/kpis', async ({ params: { name }, tenant }) => {
      await campaign(tenant, name)
      return { campaign: name, ...(await outreach.deliveries.kpis(tenant.tenantId, name)) }
    }, {
      scope: ['console', 'admin'], params: t.Object({ name: Name }),
      detail: { summary: 'Sent, deferred, skipped by reason, replied, resolved without a person, opted out', tags },
    })
}
