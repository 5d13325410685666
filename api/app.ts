// The HTTP API: one Elysia app of route plugins behind one front door (limits, keys, rate limits) and one
// error mapping. Talks to queues only to send, and to storage to read and record.
import { Elysia } from 'elysia'
import { openapi } from '@elysiajs/openapi'
import type { Mailbox } from '../actors/protocol.ts'
import type { Inbox } from '../channels/index.ts'
import type { Clock } from '../lib/clock.ts'
import type { Config } from '../lib/config.ts'
import type { Logger } from '../lib/log.ts'
import type { KpiSettings } from '../kpis/index.ts'
import type { DequeueConversations, EventHub, Storage } from '../storage/index.ts'
import { createKeyResolver } from './auth.ts'
import { consoleRoutes, type ConsoleOptions } from './console/console-routes.ts'
import { createCustomerTokens } from './customer-tokens.ts'
import { crossOrigin } from './cors.ts'
import { errorHandling } from './errors.ts'
import type { GuardDeps } from './guard.ts'
import { storableInput } from './input.ts'
import { adminRoutes } from './routes/admin.ts'
import { assistRoutes } from './routes/assist.ts'
import { conversationsRoutes } from './routes/conversations.ts'
import { customersRoutes } from './routes/customers.ts'
import { eventsRoutes } from './routes/events.ts'
import { handoffsRoutes } from './routes/handoffs.ts'
import { healthRoutes, type ReadinessCheck } from './routes/health.ts'
import { keysRoutes } from './routes/keys.ts'
import { knowledgeRoutes } from './routes/knowledge.ts'
import { kpisRoutes } from './routes/kpis.ts'
import { knowledgeArticlesRoutes } from './routes/knowledge-articles.ts'
import { messagesRoutes } from './routes/messages.ts'
import { metricsRoutes, type RenderMetrics } from './routes/metrics.ts'
import { ticketConnectionsRoutes } from './routes/ticket-connections.ts'
import { ticketsRoutes } from './routes/tickets.ts'
import { turnWhyRoutes } from './routes/turn-why.ts'
import { webhooksRoutes } from './routes/webhooks.ts'
import { agentRoutes } from './routes/agents.ts'
import { customerSegmentsRoutes } from './routes/customer-segments.ts'
import { resourceCollections } from './routes/resources.ts'
import { secretsRoutes } from './routes/secrets.ts'
import { approvalsRoutes } from './routes/approvals.ts'
import { customerTokenRoutes } from './routes/customer-tokens.ts'
import { policyDecisionsRoutes } from './routes/policy-decisions.ts'
import { arenaRoutes } from './routes/arena.ts'
import { consoleArenaRoutes } from './console/arena-routes.ts'
import { consoleKpiRoutes } from './console/kpi-routes.ts'
import type { ApplyDeps } from './resource-apply.ts'
import { routingPolicyStatusOf } from './routing-policy-status.ts'
import { outreachRoutes } from './routes/outreach.ts'

export type ApiStorage = Pick<
  Storage,
  'sql' | 'chat' | 'messages' | 'idempotency' | 'customers' | 'webhooks' | 'apiKeys' | 'tenants' | 'rateLimiter' | 'turnRecords'
  | 'handoffs' | 'events' | 'kpiOutcomes' | 'systemicAlerts' | 'assist' | 'resources' | 'secrets' | 'catalogue' | 'routingRejections' | 'approvals' | 'policyState' | 'deploymentKeys'
  | 'knowledge' | 'turnFacts' | 'ticketReplies'
  | 'handoffPackages' | 'handoffQueues' | 'handoffSla' | 'consolePeople' | 'consoleInbox' | 'consoleWorkspace'
  | 'eraseCustomer' | 'exportCustomer' | 'outreach'
  | 'arenaRuns' | 'arenaScenarios' | 'arenaSuites' | 'promotions'
>

export interface AppDeps {
  storage: ApiStorage
  mailbox: Pick<Mailbox, 'send'>
  /** Sweeps an erased customer's conversations out of the queues (queues/ job scrubber, wired by the composition root). */
  dequeue: DequeueConversations
  hub: EventHub
  clock: Clock
  log: Logger
  readiness: ReadinessCheck
  limits: Pick<Config['api'], 'maxBodyBytes' | 'maxMessageChars' | 'rateLimitPerS' | 'keyCacheMs' | 'sseHeartbeatMs' | 'adminToken' | 'corsOrigins' | 'customerTokenTtlMs' | 'customerRatePerS'>
  /** Told about every accepted customer message (the webhook relay's watch). */
  onAccepted?: (tenantId: string, conversationId: string) => void
  /** Renders this process's Prometheus registry for GET /metrics. */
  metrics: RenderMetrics
  /** The versioned store of agents, tools and MCP servers, and the built-in tools they may name. */
  apply: ApplyDeps
  /** Queues knowledge base re-index jobs for the workers. */
  knowledgeIndex: { enqueue(jobId: string): Promise<void> }
  /** The agent console at /console: session lifetime, knowledge suggestions, the built page. */
  console: ConsoleOptions
  /** The KPI definitions' windows and the cost model's rates. @defaultValue DEFAULT_KPI_SETTINGS */
  kpis?: KpiSettings
}

const documentation = {
  info: {
    title: 'Switchboard API',
    version: '1.0.0',
    description: 'Chat and ticketing channels of Switchboard. Send `Authorization: Bearer <key>`. Every error is '
      + '`{"error":{"code","message","details"}}`.',
  },
  components: { securitySchemes: { bearer: { type: 'http' as const, scheme: 'bearer' } } },
  security: [{ bearer: [] }],
}

/**
 * Builds the app without listening, so tests call `app.handle(new Request(...))`.
 * @example createApp(deps).listen(8080)
 */
export function createApp(deps: AppDeps) {
  const { storage, limits } = deps
  const guard: GuardDeps = {
    keys: createKeyResolver(storage.apiKeys, limits.keyCacheMs, limits.rateLimitPerS),
    rateLimiter: storage.rateLimiter,
    adminToken: limits.adminToken,
    maxBodyBytes: limits.maxBodyBytes,
    customerTokens: createCustomerTokens(storage.deploymentKeys, limits.customerTokenTtlMs, () => deps.clock.now()),
    customerRatePerS: limits.customerRatePerS,
  }
  const inbox: Inbox = { storage, mailbox: deps.mailbox, clock: deps.clock, onAccepted: deps.onAccepted }
  const maxMessageChars = limits.maxMessageChars
  // normalize: false makes unknown fields a 400 instead of silently dropping them. Bun's own body limit would
  // answer an empty 413 before any of our code runs, so it is set out of reach and the guard enforces ours.
  const app = new Elysia({ normalize: false, serve: { maxRequestBodySize: Number.MAX_SAFE_INTEGER, idleTimeout: 120 } })
    .use(errorHandling(deps.log))
    .use(storableInput())
    .use(crossOrigin(limits.corsOrigins))
    .use(openapi({ path: '/docs', specPath: '/docs/json', documentation }))
    .use(healthRoutes(deps.readiness))
    .use(metricsRoutes(deps.metrics))
    .use(conversationsRoutes({ ...guard, storage, inbox, apply: deps.apply }))
    .use(customerTokenRoutes({ ...guard, storage }))
    .use(turnWhyRoutes({ ...guard, storage }))
    .use(messagesRoutes({ ...guard, storage, inbox, maxMessageChars }))
    .use(handoffsRoutes({ ...guard, storage, inbox, clock: deps.clock, maxMessageChars }))
    .use(kpisRoutes({ ...guard, storage, clock: deps.clock, settings: deps.kpis }))
    .use(assistRoutes({ ...guard, storage, inbox, clock: deps.clock, maxMessageChars }))
    .use(eventsRoutes({ ...guard, storage, hub: deps.hub, sseHeartbeatMs: limits.sseHeartbeatMs }))
    .use(ticketsRoutes({ ...guard, inbox, maxMessageChars }))
    .use(ticketConnectionsRoutes({ ...guard, storage }))
    .use(webhooksRoutes({ ...guard, storage }))
    .use(keysRoutes({ ...guard, storage }))
    .use(adminRoutes({ ...guard, storage }))
    .use(customersRoutes({ ...guard, storage, dequeue: deps.dequeue }))
    .use(customerSegmentsRoutes({ ...guard, storage }))
    .use(agentRoutes({ ...guard, apply: deps.apply, catalogue: storage.catalogue, gates: storage.arenaSuites }))
    .use(resourceCollections({ ...guard, apply: deps.apply, statusOf: { RoutingPolicy: routingPolicyStatusOf(storage.routingRejections) } }))
    .use(outreachRoutes({ ...guard, storage, apply: deps.apply }))
    .use(approvalsRoutes({ ...guard, storage, inbox }))
    .use(policyDecisionsRoutes({ ...guard, storage }))
    .use(secretsRoutes({ ...guard, storage }))
    .use(knowledgeRoutes({ ...guard, storage, reindex: deps.knowledgeIndex }))
    .use(knowledgeArticlesRoutes({ ...guard, storage }))
    .use(consoleRoutes({ storage, inbox, clock: deps.clock, hub: deps.hub, limits: { ...limits, maxMessageChars }, console: deps.console }))
  // Mounted on the same instance without widening its type: one more plugin in the typed chain above passes
  // TypeScript's instantiation depth limit (TS2589), and nothing reads these routes' types from App.
  app.use(arenaRoutes({ ...guard, storage, apply: deps.apply, clock: deps.clock, kpiSettings: deps.kpis }))
  app.use(consoleArenaRoutes({ people: storage.consolePeople, maxBodyBytes: limits.maxBodyBytes, storage }))
  app.use(consoleKpiRoutes({ people: storage.consolePeople, maxBodyBytes: limits.maxBodyBytes, storage, clock: deps.clock, settings: deps.kpis }))
  return app
}
export type App = ReturnType<typeof createApp>
