// The Arena over HTTP: runs and their side-by-side reports (JSON, CSV, JUnit), scenarios kept in suites (a
// conversation becomes a regression scenario with one call), suite thresholds, and the promotion gate that
// raises an agent's maturity (as a whole or per conversation type) only when its suite meets them. Runs started
// here are played by the workers (ARENA_RUNNER_LANES); `bun run arena` plays its own.
import { Elysia, t } from 'elysia'
import {
  assertNlCompiles, buildReport, createRun, decidePromotion, FLOOR_DEFAULTS, newRunId, policyInForce, recordedScenario, reportCsv, reportJunit, RunSpec, ScriptedScenario,
  storedPolicyVersions, SuiteThresholds, type ArenaScenario, type ConfigSummary,
} from '../../arena/index.ts'
import { AppError } from '../../lib/errors.ts'
import type { AutonomyLevel } from '../../lib/autonomy.ts'
import type { Clock } from '../../lib/clock.ts'
import type { KpiSettings } from '../../kpis/index.ts'
import { RESOURCE_NAME_PATTERN } from '../../resources/index.ts'
import type { Storage } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { applyResource, type ApplyDeps } from '../resource-apply.ts'
import { agentKpis } from './kpis.ts'

export interface ArenaRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'arenaRuns' | 'arenaScenarios' | 'arenaSuites' | 'promotions' | 'kpiOutcomes'>
  apply: ApplyDeps
  clock: Clock
  /** The KPI settings the KPI routes use, so the gate reads the same figures. */
  kpiSettings?: KpiSettings
}

const Name = t.String({ pattern: RESOURCE_NAME_PATTERN })
const Mode = t.Union([t.Literal('assist'), t.Literal('execute'), t.Literal('operate')])
const RunParams = t.Object({ id: t.String({ minLength: 1, maxLength: 128 }) })
const DAY_MS = 86_400_000
/** The window the KPI advice reads. */
const KPI_WINDOW_DAYS = 30
const ConversationType = t.String({ pattern: '^[a-z0-9_]{1,64}$' })
/** A run spec whose scenarios may be left to its suite. */
const StartRun = t.Object({ ...RunSpec.properties, scenarios: t.Optional(RunSpec.properties.scenarios) }, { additionalProperties: false })

export function arenaRoutes(deps: ArenaRouteDeps) {
  const { storage } = deps
  const runOf = async (tenantId: string, id: string) => {
    const run = await storage.arenaRuns.get(id, tenantId)
    if (!run) throw new AppError('not_found', `no arena run ${id}`)
    return run
  }
  return new Elysia({ name: 'arena' })
    .use(requestGuard(deps))
    .get('/v1/arena/runs', async ({ tenant }) => ({ data: await storage.arenaRuns.list(tenant.tenantId) }), {
      scope: ['console', 'admin'], detail: { summary: 'Arena runs, newest first', tags: ['arena'] },
    })
    .post('/v1/arena/runs', async ({ body, tenant, set }) => {
      const id = newRunId()
      const scenarios = body.scenarios ?? (await suiteScenarios(storage, tenant.tenantId, body.suite))
      await createRun(storage.arenaRuns, {
        id, tenantId: tenant.tenantId, spec: { ...body, scenarios }, policies: storedPolicyVersions(deps.apply.resources, tenant.tenantId),
        playedBy: 'workers', startedBy: `key:${tenant.keyId}`,
      })
      set.status = 202
      return { id, status: 'running', progress: await storage.arenaRuns.progress(id) }
    }, {
      scope: ['admin'], body: StartRun,
      detail: {
        summary: 'Start an Arena run, played by the workers', tags: ['arena'],
        description: 'The matrix of configurations × scenarios × trials; without `scenarios`, those kept in `suite`. A worker '
          + 'with ARENA_RUNNER_LANES plays it under a lease; if that worker dies another resumes it, and no finished trial runs '
          + 'twice. It stops at `costCeilingUsd`. Follow it with GET /v1/arena/runs/{id}.',
      },
    })
    .get('/v1/arena/runs/:id', async ({ params, tenant }) => {
      const run = await runOf(tenant.tenantId, params.id)
      const { spec: _spec, ...rest } = run
      return { ...rest, progress: await storage.arenaRuns.progress(run.id) }
    }, { scope: ['console', 'admin'], params: RunParams, detail: { summary: 'An Arena run and its progress', tags: ['arena'] } })
    .get('/v1/arena/runs/:id/report', async ({ params, query, tenant, set }) => {
      const run = await runOf(tenant.tenantId, params.id)
      const report = buildReport(run, await storage.arenaRuns.trials(run.id))
      if (query.format === 'csv') return (set.headers['content-type'] = 'text/csv; charset=utf-8', reportCsv(report))
      if (query.format === 'junit') return (set.headers['content-type'] = 'application/xml; charset=utf-8', reportJunit(report))
      return report
    }, {
      scope: ['console', 'admin'], params: RunParams,
      query: t.Object({ format: t.Optional(t.Union([t.Literal('json'), t.Literal('csv'), t.Literal('junit')])) }),
      detail: { summary: 'The side-by-side report of a run: JSON, CSV or JUnit', tags: ['arena'] },
    })
    .post('/v1/arena/scenarios/from-conversation', async ({ body, tenant, set }) => {
      assertNlCompiles(body.assertions?.nl, 'assertions')
      const recorded = await storage.arenaScenarios.recorded(tenant.tenantId, body.conversationId)
      if (!recorded) throw new AppError('not_found', `no conversation ${body.conversationId}`)
      const scenario = recordedScenario(recorded, { forkAt: body.forkAt, title: body.title, assertions: body.assertions })
      const saved = await storage.arenaScenarios.save(tenant.tenantId, {
        id: scenario.id, suite: body.suite, kind: 'recorded', spec: scenario, sourceConversationId: recorded.id, createdBy: `key:${tenant.keyId}`,
      })
      set.status = saved.created ? 201 : 200
      return saved.scenario
    }, {
      scope: ['console', 'admin'],
      body: t.Object({
        conversationId: t.String({ minLength: 1, maxLength: 128 }), suite: Name, forkAt: t.Optional(t.Integer({ minimum: 0 })),
        title: t.Optional(t.String({ maxLength: 300 })), assertions: t.Optional(ScriptedScenario.properties.assertions),
      }, { additionalProperties: false }),
      detail: {
        summary: 'This conversation becomes a regression scenario', tags: ['arena'],
        description: 'Its customer turns from `forkAt` on script the simulated customer and its recorded tool results answer the replay in a sandbox. Repeating the call returns the scenario already kept (200).',
      },
    })
    .post('/v1/arena/scenarios', async ({ body, tenant, set }) => {
      assertNlCompiles(body.scenario.assertions.nl, `scenario "${body.scenario.id}"`)
      const saved = await storage.arenaScenarios.save(tenant.tenantId, {
        id: body.scenario.id, suite: body.suite, kind: 'scripted', spec: body.scenario, sourceConversationId: null, createdBy: `key:${tenant.keyId}`,
      })
      if (!saved.created) throw new AppError('conflict', `scenario ${body.scenario.id} exists`)
      set.status = 201
      return saved.scenario
    }, {
      scope: ['admin'], body: t.Object({ suite: Name, scenario: ScriptedScenario }, { additionalProperties: false }),
      detail: { summary: 'Keep a hand-written scenario with assertions in a suite', tags: ['arena'] },
    })
    .get('/v1/arena/scenarios', async ({ query, tenant }) => ({ data: await storage.arenaScenarios.list(tenant.tenantId, query.suite) }), {
      scope: ['console', 'admin'], query: t.Object({ suite: t.Optional(Name) }),
      detail: { summary: 'Scenarios kept for the Arena, by suite', tags: ['arena'] },
    })
    .put('/v1/arena/suites/:name', async ({ params, body, tenant }) => storage.arenaSuites.put(tenant.tenantId, {
      name: params.name, thresholds: body.thresholds, gates: body.gates ?? [], by: `key:${tenant.keyId}`,
    }), {
      scope: ['admin'], params: t.Object({ name: Name }),
      body: t.Object({ thresholds: SuiteThresholds, gates: t.Optional(t.Array(Name, { maxItems: 100 })) }, { additionalProperties: false }),
      detail: { summary: "A suite's thresholds, and the agents whose maturity it gates", tags: ['arena'] },
    })
    .post('/v1/agents/:name/promotions', async ({ params, body, tenant, set }) => {
      set.status = 201
      return promote(deps, tenant, params.name, body)
    }, {
      scope: ['admin'], params: t.Object({ name: Name }),
      body: t.Object({ mode: Mode, suite: Name, configuration: t.Optional(Name), conversationType: t.Optional(ConversationType) }, { additionalProperties: false }),
      detail: {
        summary: "Raise an agent's maturity, as a whole or for one conversation type, through the promotion gate", tags: ['arena', 'agents'],
        description: 'Promoted only when the latest finished run of the suite meets its thresholds, the KPI floors hold and the KPI advice '
          + 'supports the level (KPIs of the conversation type when one is named: the intent of a conversation\'s first turn); '
          + 'granted or refused, the decision is recorded with the run, the approver and the policy version. A type\'s level '
          + 'applies to the turns of its conversations, over the agent\'s own mode.',
      },
    })
    .get('/v1/agents/:name/promotions', async ({ params, query, tenant }) => ({
      data: await storage.promotions.list(tenant.tenantId, params.name, { conversationType: query.conversationType }),
    }), {
      scope: ['console', 'admin'], params: t.Object({ name: Name }), query: t.Object({ conversationType: t.Optional(ConversationType) }),
      detail: { summary: "An agent's promotion and demotion decisions, newest first", tags: ['arena', 'agents'] },
    })
    .get('/v1/agents/:name/maturity', async ({ params, tenant }) => {
      const found = await deps.apply.resources.resolve({ tenantId: tenant.tenantId, kind: 'Agent', name: params.name })
      if (!found?.spec) throw new AppError('agent.unknown', `agent ${params.name} is not defined`)
      const levels = await storage.promotions.levels(tenant.tenantId, params.name)
      return { agent: params.name, mode: found.spec.mode, conversationTypes: levels.map(({ tenantId: _t, agent: _a, ...l }) => l) }
    }, {
      scope: ['console', 'admin'], params: t.Object({ name: Name }),
      detail: { summary: "An agent's maturity: its own mode, and the level the gate holds each conversation type at", tags: ['arena', 'agents'] },
    })
}

async function promote(
  deps: ArenaRouteDeps, tenant: { tenantId: string; keyId: string }, agent: string,
  body: { mode: AutonomyLevel; suite: string; configuration?: string; conversationType?: string },
) {
  const { storage, apply } = deps
  const found = await apply.resources.resolve({ tenantId: tenant.tenantId, kind: 'Agent', name: agent })
  if (!found?.spec) throw new AppError('agent.unknown', `agent ${agent} is not defined`)
  const spec = found.spec as { mode: AutonomyLevel; policy?: string }
  const suite = await storage.arenaSuites.get(tenant.tenantId, body.suite)
  if (!suite) throw new AppError('not_found', `no arena suite ${body.suite}`)
  const type = body.conversationType
  // A type the gate never raised holds the agent's own mode.
  const from = (type ? (await storage.promotions.level(tenant.tenantId, agent, type))?.mode : undefined) ?? spec.mode
  const run = await storage.arenaRuns.latestOfSuite(tenant.tenantId, body.suite)
  const report = run ? buildReport(run, await storage.arenaRuns.trials(run.id)) : undefined
  const summary = report && pickConfiguration(report.configurations, body.configuration)
  const thresholds = suite.thresholds as SuiteThresholds
  const now = deps.clock.now()
  const kpisOver = (days: number) => agentKpis(storage, tenant.tenantId, agent, { from: new Date(now - days * DAY_MS), to: new Date(now) }, now, deps.kpiSettings, type)
  const kpis = await kpisOver(KPI_WINDOW_DAYS)
  const floorKpis = thresholds.kpiFloors ? await kpisOver(thresholds.kpiFloors.windowDays ?? FLOOR_DEFAULTS.windowDays) : undefined
  const verdict = decidePromotion({ from, to: body.mode, thresholds, suite: summary, kpis, ...(floorKpis ? { floorKpis } : {}) })
  const policy = await policyInForce(apply.resources, tenant.tenantId, spec.policy)
  const approver = `key:${tenant.keyId}`
  let agentVersion = found.version
  // The agent as a whole: a new version of its definition. A conversation type: its level, set with the decision.
  if (verdict.outcome === 'promoted' && !type) {
    const applied = await applyResource(apply, { kind: 'tenant', tenantId: tenant.tenantId, by: approver }, {
      kind: 'Agent', name: agent, spec: { ...found.spec, tenant: tenant.tenantId, mode: body.mode }, comment: `promoted to ${body.mode} by suite ${body.suite} (run ${run!.id})`,
    })
    agentVersion = applied.resource.version
  }
  return storage.promotions.record(tenant.tenantId, {
    agent, conversationType: type ?? null, fromMode: from, toMode: body.mode, suite: body.suite, runId: run?.id ?? null, approver, ...policy,
    thresholds, measured: verdict.measured, outcome: verdict.outcome, reasons: verdict.reasons, agentVersion,
  })
}

/** The scenarios a suite keeps, for a run that names the suite and no scenarios. */
async function suiteScenarios(storage: ArenaRouteDeps['storage'], tenantId: string, suite: string | undefined): Promise<ArenaScenario[]> {
  if (!suite) throw new AppError('request.invalid', 'a run needs "scenarios", or a "suite" whose kept scenarios it plays')
  const kept = await storage.arenaScenarios.list(tenantId, suite)
  if (kept.length === 0) throw new AppError('request.invalid', `suite ${suite} keeps no scenarios`)
  return kept.map((s) => s.spec as ArenaScenario)
}

/** The run's configuration the promotion is about: the one named, or the only one. */
function pickConfiguration(configs: ConfigSummary[], name: string | undefined): ConfigSummary | undefined {
  if (name) return configs.find((c) => c.name === name)
  if (configs.length === 1) return configs[0]
  throw new AppError('request.invalid', `the suite's run has ${configs.length} configurations: name one with "configuration"`)
}
