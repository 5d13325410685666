// The worker role: the tenants' agents and tool catalogues, model routing, the pools and the actor host.
// Part of the composition root: it may import every layer.
import { createConversationFactory, createPoolHandlers, startOutreachService, type ToolExecutor } from './actors/index.ts'
import {
  createAgentDirectory, createAgentToolExecutor, createModelRoutes, createPolicyCache, createPolicyEnforcer, createToolCatalogue, type ToolCatalogue,
} from './agents/index.ts'
import type { Clock } from './lib/clock.ts'
import type { Config } from './lib/config.ts'
import type { Logger } from './lib/log.ts'
import { serveMetrics, type Health, type Metrics, type MetricsServer } from './lib/metrics.ts'
import { checkTopic, type ModelGateway } from './providers/index.ts'
import {
  callingInProcess, createActorHost, startPoolWorkers, type ActorHost, type DeadLetter, type Leases, type MailboxSender, type PoolQueues,
  type QueueTelemetry, startKnowledgeIndexWorker, type JobQueue, type JobWorker, createOutreachQueues, startOutreachWorkers, retireProviderQueues,
} from './queues/index.ts'
import { createReindexRunner } from './knowledge/index.ts'
import type Redis from 'ioredis'
import { createS3BlobStore, type Storage } from './storage/index.ts'
import { retiredProviderVendors, servedProviderQueues, startRouting } from './platform-routing.ts'
import { startKpiSweepTimer } from './analytics/index.ts'
import { createClickHouseSink, createExporter, createParquetSink, type WarehouseSink } from './warehouse/index.ts'
import { RETAIL_TOOLS, seedRetail, type ToolResult } from './tools/index.ts'

export interface WorkerRoleDeps {
  config: Config
  storage: Storage
  bull: Redis
  leases: Leases
  mailbox: MailboxSender
  deadLetter: DeadLetter
  pools: PoolQueues
  clock: Clock
  log: Logger
  /** Replaces the default model of agents without one of their own (tests script replies through it). */
  gateway?: ModelGateway
  tools?: ToolExecutor
  /** Answers some tenants' tool calls from recordings (Arena replays); the policy still decides first. */
  toolSandbox?: ToolSandbox
  metrics: Metrics
  /** Trace context across BullMQ hops; undefined while tracing is off. */
  telemetry?: QueueTelemetry
  /** The re-index queue: jobs left unfinished by a stopped deployment are queued again at start. */
  knowledgeIndex: JobQueue
  /** The readiness probe of the metrics port: Redis and Postgres answer. */
  health: Health
}

/** For a tenant under replay, what answers its tool calls in place of the tools; undefined runs them as usual. */
export type ToolSandbox = (tenantId: string) => ((call: { tool: string; args: unknown }, run: () => Promise<ToolResult>) => Promise<ToolResult>) | undefined

export interface WorkerRole {
  /** Absent on a worker that serves provider queues only (WORKER_ACTORS=false). */
  host?: ActorHost
  /** The port of this worker's /metrics; undefined if it could not listen. */
  metricsPort?: number
  close(): Promise<void>
}

function createCatalogue(deps: WorkerRoleDeps): ToolCatalogue {
  const { storage, config, log } = deps
  const { agents } = config
  return createToolCatalogue({
    resources: storage.resources, status: storage.catalogue, sql: storage.sql, builtin: RETAIL_TOOLS, secrets: storage.secrets,
    env: agents.environment, allowPrivateNetworks: agents.allowPrivateNetworks, connectTimeoutMs: agents.mcpConnectTimeoutMs,
    refreshMs: agents.refreshMs, cooldownMs: agents.withdrawMs, worker: config.workerId, log,
  })
}

export async function startWorkerRole(deps: WorkerRoleDeps): Promise<WorkerRole> {
  const { config, storage, log } = deps
  if (await seedRetail(storage.sql)) log.info('retail demo database seeded')
  // Every turn is classified; training the intent and topic models here keeps their CPU off the first turns' path.
  checkTopic('')
  const routing = await startRouting(config, storage, log, deps.gateway)
  const catalogue = sandboxed(createCatalogue(deps), deps.toolSandbox)
  const models = createModelRoutes({
    defaultGateway: routing.defaultGateway, routingPolicies: routing.policies, providers: routing.providers, state: routing.state, log,
  })
  const policies = createPolicyCache(storage.resources, config.agents.refreshMs)
  const modelSpend = (subject: { tenantId: string; conversationId: string; customerId?: string }) => routing.state.spent(subject, deps.clock.now())
  const directory = createAgentDirectory({ resources: storage.resources, policies, catalogue, models, modelSpend, refreshMs: config.agents.refreshMs })
  const enforcer = createPolicyEnforcer({
    state: storage.policyState, spending: storage.spending, approvals: storage.approvals,
    today: () => new Date(deps.clock.now()).toISOString().slice(0, 10),
  })
  const tools = deps.tools ?? createAgentToolExecutor({ conversations: storage.conversations, directory, catalogue, policies, enforcer, turnMode: storage.policyState.turnMode })
  const runtime = {
    storage, pools: deps.pools, mailbox: deps.mailbox, tools, directory, clock: deps.clock, log,
    observer: deps.metrics.observer, captureContent: config.telemetry.captureContent,
  }
  const { telemetry } = deps
  const providerQueues = servedProviderQueues(config)
  const poolOptions = { prefix: config.redis.prefix, concurrency: config.pools, lockDurationMs: config.actors.leaseTtlMs, telemetry, providerQueues }
  const handlers = createPoolHandlers(runtime)
  // A provider-only worker (a per-vendor Deployment) runs the provider handler alone: no other pool starts a Worker.
  const served = config.worker.actors ? handlers : { 'provider.complete': handlers['provider.complete'] }
  const poolWorkers = startPoolWorkers(deps.bull, poolOptions, served, { deadLetter: deps.deadLetter, log })
  log.info('provider queues served', { providerQueues, actors: config.worker.actors })
  // Housekeeping nothing waits for: the worker does not hold its start for it (its connection waits out a Redis outage).
  void retireProviderQueues(deps.bull, config.redis.prefix, retiredProviderVendors(config), log)
    .catch((error: Error) => log.warn('could not look for provider queues of earlier versions; the next start looks again', { error }))
  // Model calls to the built-in providers are made by the conversation's own process.
  const pools = callingInProcess(deps.pools, routing.inProcessVendors, handlers['provider.complete'])
  const conversations = config.worker.actors ? await startConversations(deps, { ...runtime, pools }) : undefined
  const host = conversations?.host
  deps.metrics.track({ ...(host ? { host: () => host.stats() } : {}), budgets: routing.budgets })
  const server = startMetricsServer(deps.metrics, config.telemetry.metricsPort, log, deps.health)
  return {
    host,
    metricsPort: server?.port,
    close: async () => {
      await conversations?.close()
      await poolWorkers.close()
      await server?.close()
      await routing.close()
      await catalogue.close()
    },
  }
}

/** Conversation actors, and the services that run beside them: knowledge indexing, outreach, warehouse export and the KPI sweep. */
async function startConversations(deps: WorkerRoleDeps, runtime: Parameters<typeof createConversationFactory>[0]): Promise<{ host: ActorHost; close(): Promise<void> }> {
  const { config, log, telemetry } = deps
  const host = createActorHost({ prefix: config.redis.prefix, ownerId: config.workerId, ...config.actors, telemetry }, {
    connection: deps.bull, leases: deps.leases, mailbox: deps.mailbox, deadLetter: deps.deadLetter,
    factory: createConversationFactory(runtime), log,
  })
  const knowledge = await startKnowledgeIndexing(deps)
  const outreach = startOutreach(deps)
  const exports = startWarehouseExports(deps)
  const kpiSweep = startKpiSweepTimer({ storage: deps.storage, clock: deps.clock, log, settings: config.kpis, ...config.kpiSweep })
  return {
    host,
    close: async () => {
      await knowledge.close()
      await outreach.close()
      await kpiSweep.close()
      await exports.close()
      await host.close(config.shutdownGraceMs)
    },
  }
}

/** The catalogue whose tenants under replay get their tool calls answered by the sandbox. */
function sandboxed(catalogue: ToolCatalogue, sandbox: ToolSandbox | undefined): ToolCatalogue {
  if (!sandbox) return catalogue
  return {
    ...catalogue,
    async forTenant(tenantId, options) {
      const tools = await catalogue.forTenant(tenantId, options)
      const answer = sandbox(tenantId)
      if (!answer) return tools
      return { ...tools, executor: { ...tools.executor, executeTool: (call) => answer(call, () => tools.executor.executeTool(call)) } }
    },
  }
}

/** The re-index job's runner on its queue; jobs a stopped deployment left unfinished are queued again. */
async function startKnowledgeIndexing({ config, storage, bull, knowledgeIndex, log }: WorkerRoleDeps): Promise<JobWorker> {
  const k = config.knowledge
  const runner = createReindexRunner({ knowledge: storage.knowledge, log }, {
    fetch: { timeoutMs: k.fetchTimeoutMs, maxBytes: k.maxArticleBytes, allowPrivate: k.allowPrivateUrls },
    prepare: { maxBytes: k.maxArticleBytes }, concurrency: k.fetchConcurrency,
  })
  // The actors' lease: a crashed worker's job resumes elsewhere about as fast as its conversations.
  const worker = startKnowledgeIndexWorker(bull, config.redis.prefix, (id, run) => runner.run(id, run), {
    lockDurationMs: config.actors.leaseTtlMs, onError: (error) => log.warn('knowledge index worker error', { error }),
  })
  // A job id still queued or running is not added twice.
  for (const id of await storage.knowledge.jobs.active()) await knowledgeIndex.enqueue(id)
  return worker
}

/** Campaign runs, cron fires and order events on this worker; a crashed worker's run resumes on another. */
function startOutreach({ config, storage, bull, mailbox, pools, clock, log, metrics }: WorkerRoleDeps): { close(): Promise<void> } {
  const queues = createOutreachQueues(bull, config.redis.prefix)
  const service = startOutreachService({ storage, mailbox, pools, queues, clock, log, observer: metrics.observer }, config.outreach)
  const workers = startOutreachWorkers(bull, config.redis.prefix, { run: (id, run) => service.run(id, run.signal), fired: service.fired }, {
    lockDurationMs: config.actors.leaseTtlMs, onError: (error) => log.warn('outreach worker error', { error }),
  })
  return {
    close: async () => {
      service.close()
      await workers.close()
      await queues.close()
    },
  }
}

/**
 * The warehouse exports configured (ClickHouse, Parquet on S3), each streaming from its checkpoints on whichever
 * worker holds its lease; the others wait to take over.
 */
function startWarehouseExports({ config, storage, log }: WorkerRoleDeps): { close(): Promise<void> } {
  const sinks: Array<{ sink: WarehouseSink; close(): Promise<void> }> = []
  if (config.clickhouseExport) {
    const sink = createClickHouseSink(config.clickhouseExport)
    sinks.push({ sink, close: () => sink.close() })
  }
  if (config.parquetExport) {
    const store = createS3BlobStore(config.parquetExport.s3)
    sinks.push({ sink: createParquetSink({ store, prefix: config.parquetExport.prefix }), close: () => store.close() })
  }
  const stop = new AbortController()
  const running = sinks.map(({ sink }) => createExporter({ source: storage.exportSource, sink, log }).runAsLeader(stop.signal))
  return {
    close: async () => {
      stop.abort()
      await Promise.all(running)
      for (const s of sinks) await s.close()
    },
  }
}

/** A metrics port already taken costs the worker its /metrics, not its turns. */
export function startMetricsServer(metrics: Metrics, port: number, log: Logger, health: Health): MetricsServer | undefined {
  try {
    const server = serveMetrics(metrics, port, '0.0.0.0', health)
    log.info('metrics listening', { port: server.port })
    return server
  } catch (e) {
    log.error('metrics server failed to start', { port, error: e as Error })
    return undefined
  }
}
