// The composition root's body: wires config → storage, queues, providers, actors → API and worker roles.
// main.ts runs it as a process; tests run it in-process with their own config and seams.
import type { ToolExecutor } from './actors/index.ts'
import { agentKpis, createApp, type App } from './api/index.ts'
import { startArenaRunner, startDemotionTimer, type ArenaRunnerDeps } from './arena/index.ts'
import { startChannels } from './channels/index.ts'
import { systemClock, type Clock } from './lib/clock.ts'
import type { Config } from './lib/config.ts'
import { createLogger, type Logger } from './lib/log.ts'
import { createMetrics, type Metrics } from './lib/metrics.ts'
import { spansEnabled } from './lib/spans.ts'
import type { ModelGateway } from './providers/index.ts'
import {
  createDeadLetter, createJobScrubber, createLeases, createMailbox, createPoolClient, createQueueTelemetry, createRedis, type ActorHost,
  type DeadLetter, type MailboxSender, createKnowledgeIndexQueue,
} from './queues/index.ts'
import { startRedisRecovery } from './platform-recovery.ts'
import { providerQueueNames } from './platform-routing.ts'
import { startWorkerRole, type ToolSandbox } from './platform-worker.ts'
import type { KubeClient } from './controller/index.ts'
import { BUILTIN_TOOLS, watchResourceFiles } from './platform-resources.ts'
import { consoleOptions, startConsoleTimers } from './platform-console.ts'
import { agentKpiFigures, startQaSamplingTimer, startSystemicIssuesTimer } from './analytics/index.ts'
import { DEFAULT_QA_SAMPLING } from './kpis/index.ts'
import {
  createRedisClient, createSql, createStorage, isMigrated, migrate, scheduleRetention, sessionTiersFromConfig, watchRetentionPolicies, type Storage,
} from './storage/index.ts'

export interface PlatformSeams {
  /** Replaces the configured model (tests script replies through it). */
  gateway?: ModelGateway
  tools?: ToolExecutor
  /** Answers some tenants' tool calls from recordings (Arena's sandboxed replays of recorded conversations). */
  toolSandbox?: ToolSandbox
  clock?: Clock
  log?: Logger
  /** The controller role's Kubernetes API (tests point it at a loopback server). */
  kube?: KubeClient
  /** Where a worker plays Arena runs started from the API (with ARENA_RUNNER_LANES above 0): main.ts starts lanes. */
  arena?: Pick<ArenaRunnerDeps, 'lanes' | 'customers'>
}

export interface Platform {
  storage: Storage
  mailbox: MailboxSender
  deadLetter: DeadLetter
  /** Present in the `worker` and `all` roles. */
  host?: ActorHost
  /** This platform's own Registry (served on the API's /metrics and the worker's metrics port). */
  metrics: Metrics
  /** The metrics port, in the `worker`, `all` and `controller` roles. */
  metricsPort?: number
  /** Present in the `controller` role. */
  controller?: { isLeader(): boolean }
  /** Present in the `api` and `all` roles; not listening unless `listen` was asked. */
  app?: App
  close(): Promise<void>
}

export async function startPlatform(config: Config, seams: PlatformSeams = {}): Promise<Platform> {
  const log = seams.log ?? createLogger({ role: config.role, worker: config.workerId })
  const clock = seams.clock ?? systemClock
  const sql = createSql(config.postgres)
  const applied = await migrate(sql, config.postgres.schema)
  if (applied.length > 0) log.info('migrations applied', { applied })

  const { prefix } = config.redis
  const storageRedis = createRedisClient(config.redis.url)
  const storage = createStorage(sql, storageRedis, prefix, await sessionTiersFromConfig(config), { secretsKey: config.agents.secretsKey })
  const apply = { resources: storage.resources, builtinTools: BUILTIN_TOOLS }
  const bull = createRedis(config.redis.url, `switchboard-${config.role}`, { autoPipelining: config.role === 'api' })
  const leases = createLeases(bull, prefix, config.workerId, config.actors.leaseTtlMs)
  // Tracing is installed process-wide by main.ts (or a test) before the platform starts.
  const telemetry = spansEnabled() ? createQueueTelemetry() : undefined
  const mailbox = createMailbox(bull, prefix, leases, { telemetry })
  const deadLetter = createDeadLetter(bull, prefix)
  const pools = createPoolClient(bull, config.redis.url, prefix, { telemetry, providers: providerQueueNames(config) })
  const knowledgeIndex = createKnowledgeIndexQueue(bull, prefix)
  const metrics = createMetrics({ pools: () => pools.jobCounts(), handoffs: () => storage.handoffs.counts(),
    alerts: () => storage.systemicAlerts.firingCounts(), exports: () => storage.exportSource.totals(),
    kpis: () => agentKpiFigures({ storage, clock, settings: config.kpis }) })
  const closers: Array<() => Promise<unknown>> = []
  const platform: Platform = { storage, mailbox, deadLetter, metrics, close: async () => {} }
  const runsWorker = config.role === 'worker' || config.role === 'all'
  const readiness = {
    // A client that is reconnecting would queue the ping: not ready, at once.
    redis: async () => storageRedis.status === 'ready' && (await storageRedis.ping()) === 'PONG',
    postgres: () => isMigrated(sql),
  }
  const health = { ready: async () => (await readiness.redis()) && (await readiness.postgres()) }
  // Channels (issue 3): event hub for streams; webhook relay and delivery where workers run.
  const channels = startChannels({ config, storage, connection: bull, clock, log, deliverWebhooks: runsWorker })
  closers.push(() => channels.close())
  // Files are one source of the versioned store (the API, the CLI and the controller are the others).
  const resourceFiles = [config.agents.resourcesDir, ...config.routing.policyPaths, config.sessions.retentionPolicies].filter((p) => p !== undefined)
  if (resourceFiles.length > 0) {
    const files = await watchResourceFiles({ paths: resourceFiles, apply, log, pollMs: config.agents.refreshMs })
    closers.push(async () => files.close())
  }
  const retentionPolicies = await watchRetentionPolicies({
    resources: storage.resources, resolver: storage.retentionResolver, refreshMs: config.agents.refreshMs, log,
  })
  closers.push(async () => retentionPolicies.close())

  if (config.role === 'controller') {
    // Loaded here, not at the top: its Kubernetes client costs every process that imports it ~80 MB of RSS.
    const { startControllerRole } = await import('./platform-controller.ts')
    const controller = startControllerRole({ config, apply, routingRejections: storage.routingRejections, metrics, health, log, kube: seams.kube })
    platform.controller = controller
    platform.metricsPort = controller.metricsPort
    closers.unshift(() => controller.close())
  }
  if (runsWorker) {
    const worker = await startWorkerRole({
      config, storage, bull, leases, mailbox, deadLetter, pools, clock, log, gateway: seams.gateway, tools: seams.tools, toolSandbox: seams.toolSandbox, metrics, telemetry,
      knowledgeIndex, health,
    })
    platform.host = worker.host
    platform.metricsPort = worker.metricsPort
    closers.push(() => worker.close())
  }
  // A provider-only worker (WORKER_ACTORS=false) leaves the conversations' recovery and the timers to the others.
  if (runsWorker && config.worker.actors) {
    const recovery = startRedisRecovery({ connection: bull, prefix, leaseTtlMs: config.actors.leaseTtlMs, storage, mailbox, clock, log })
    closers.unshift(async () => recovery.close())
    const sla = startConsoleTimers({ config, storage, clock, log, metrics })
    closers.unshift(() => sla.close())
    const qa = startQaSamplingTimer({ storage, clock, log, intervalMs: config.qaSampling.checkMs,
      options: { ...DEFAULT_QA_SAMPLING, perStratum: config.qaSampling.perStratum } })
    closers.unshift(() => qa.close())
    // Levels the promotion gate raised come down one step when their conversation type's KPIs break the suite's floors.
    const demotions = startDemotionTimer({
      promotions: storage.promotions, suites: storage.arenaSuites, resources: storage.resources, clock, log, intervalMs: config.arena.demotionCheckMs,
      kpis: (q) => agentKpis(storage, q.tenantId, q.agent, q, q.now, config.kpis, q.conversationType),
    })
    closers.unshift(() => demotions.close())
    if (config.arena.runnerLanes > 0 && seams.arena) {
      const runner = startArenaRunner({ ...seams.arena, runs: storage.arenaRuns, worker: config.workerId, leaseMs: config.arena.runLeaseMs, log })
      closers.unshift(() => runner.close())
    }
    const systemic = startSystemicIssuesTimer({ storage, tenants: storage.tenants, clock, log, intervalMs: config.systemicIssues.checkMs,
      windowMs: config.systemicIssues.windowMs, webhookUrl: config.systemicIssues.webhookUrl })
    closers.unshift(() => systemic.close())
    if (config.sessions.retentionIntervalMs > 0) {
      const retention = scheduleRetention(storage.retention, {
        redis: storageRedis, lockKey: `${prefix}:retention:lock`, owner: config.workerId, intervalMs: config.sessions.retentionIntervalMs,
        onError: (error) => log.warn('retention run failed', { error }), onReport: (report) => log.info('retention applied', { ...report }),
      })
      closers.unshift(() => retention.close())
    }
  }
  if (config.role === 'api' || config.role === 'all') {
    const app = createApp({
      storage, mailbox, clock, log, readiness, apply, hub: channels.hub, limits: config.api, onAccepted: channels.watch, metrics: metrics.render,
      dequeue: createJobScrubber(bull, prefix, providerQueueNames(config)), knowledgeIndex, console: consoleOptions(config), kpis: config.kpis,
    })
    platform.app = app
    closers.unshift(async () => app.server && app.stop())
  }
  closers.push(() => pools.close(), () => knowledgeIndex.close(), () => mailbox.close(), () => deadLetter.close(), () => bull.quit(), () => storageRedis.quit(), () => storage.blobs.close(),
    // A query left waiting on a connection that an outage broke must not hold up the shutdown.
    () => sql.end({ timeout: 5 }))
  platform.close = async () => {
    for (const close of closers.splice(0)) await close().catch((e: Error) => log.warn('close failed', { error: e }))
  }
  return platform
}
