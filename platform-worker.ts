// The worker role: the demo agent (its model, instructions and tools), the pools and the actor host.
// Part of the composition root: it may import every layer.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createConversationFactory, createPoolHandlers, type AgentProfile, type ToolExecutor } from './actors/index.ts'
import type { Clock } from './lib/clock.ts'
import type { Config } from './lib/config.ts'
import type { Logger } from './lib/log.ts'
import { serveMetrics, type Metrics, type MetricsServer } from './lib/metrics.ts'
import { createDirectGateway, createEchoProvider, createLocalProvider, type ModelGateway } from './providers/index.ts'
import {
  createActorHost, startPoolWorkers, type ActorHost, type DeadLetter, type Leases, type MailboxSender, type PoolQueues,
  type QueueTelemetry, startKnowledgeIndexWorker, type JobQueue, type JobWorker,
} from './queues/index.ts'
import { createReindexRunner } from './knowledge/index.ts'
import type Redis from 'ioredis'
import type { Storage } from './storage/index.ts'
import { startRouting } from './platform-routing.ts'
import { createToolExecutor, createToolRegistry, RETAIL_TOOLS, seedRetail } from './tools/index.ts'

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
  gateway?: ModelGateway
  tools?: ToolExecutor
  metrics: Metrics
  /** Trace context across BullMQ hops; undefined while tracing is off. */
  telemetry?: QueueTelemetry
  /** The re-index queue: jobs left unfinished by a stopped deployment are queued again at start. */
  knowledgeIndex: JobQueue
}

export interface WorkerRole {
  host: ActorHost
  /** The port of this worker's /metrics; undefined if it could not listen. */
  metricsPort?: number
  close(): Promise<void>
}

const POLICY_PATH = join(import.meta.dir, 'data', 'retail', 'policy.md')

/** The quick start's demo agent: the τ²-bench retail policy as instructions, the retail tools. */
function demoAgent(tools: AgentProfile['tools']): AgentProfile {
  return { system: readFileSync(POLICY_PATH, 'utf8'), tools }
}

function defaultGateway(config: Config): ModelGateway {
  return config.agent.provider === 'echo'
    ? createDirectGateway(createEchoProvider(config.agent.echoDelayMs), 'echo')
    : createDirectGateway(createLocalProvider(), 'local')
}

export async function startWorkerRole(deps: WorkerRoleDeps): Promise<WorkerRole> {
  const { config, storage, log } = deps
  const registry = createToolRegistry([...RETAIL_TOOLS])
  if (await seedRetail(storage.sql)) log.info('retail demo database seeded')
  const tools = deps.tools ?? toPoolExecutor(createToolExecutor({ registry, sql: storage.sql }))
  const routing = deps.gateway ? undefined : startRouting(config, storage.redis, log)
  const runtime = {
    storage, pools: deps.pools, mailbox: deps.mailbox, gateway: deps.gateway ?? routing?.gateway ?? defaultGateway(config), tools,
    agents: { demo: demoAgent(registry.specs()) }, defaultAgent: 'demo', clock: deps.clock, log,
    observer: deps.metrics.observer, captureContent: config.telemetry.captureContent,
  }
  const { telemetry } = deps
  const poolOptions = { prefix: config.redis.prefix, concurrency: config.pools, lockDurationMs: config.actors.leaseTtlMs, telemetry }
  const poolWorkers = startPoolWorkers(deps.bull, poolOptions, createPoolHandlers(runtime), { deadLetter: deps.deadLetter, log })
  const host = createActorHost({ prefix: config.redis.prefix, ...config.actors, telemetry }, {
    connection: deps.bull, leases: deps.leases, mailbox: deps.mailbox, deadLetter: deps.deadLetter,
    factory: createConversationFactory(runtime), log,
  })
  const knowledge = await startKnowledgeIndexing(deps)
  deps.metrics.track({ host: () => host.stats(), budgets: routing?.budgets })
  const server = startMetricsServer(deps.metrics, config.telemetry.metricsPort, log)
  return {
    host,
    metricsPort: server?.port,
    close: async () => {
      await knowledge.close()
      await host.close(config.shutdownGraceMs)
      await poolWorkers.close()
      await server?.close()
      await routing?.close()
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

/** A metrics port already taken costs the worker its /metrics, not its turns. */
function startMetricsServer(metrics: Metrics, port: number, log: Logger): MetricsServer | undefined {
  try {
    const server = serveMetrics(metrics, port)
    log.info('metrics listening', { port: server.port })
    return server
  } catch (e) {
    log.error('metrics server failed to start', { port, error: e as Error })
    return undefined
  }
}

function toPoolExecutor(executor: ReturnType<typeof createToolExecutor>): ToolExecutor {
  return { execute: (call) => executor.executeTool(call) }
}
