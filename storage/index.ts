// Storage contracts and their Postgres / Redis / S3 implementations. The only importer of postgres.js.
import type Redis from 'ioredis'
import type { Sql } from './postgres/client.ts'
import { createConversations } from './postgres/conversations.ts'
import { createEscalations } from './postgres/escalations.ts'
import { createHandoffs } from './postgres/handoffs.ts'
import { createKpiFacts } from './postgres/kpi-facts.ts'
import { createKpiOutcomes } from './postgres/kpi-outcomes.ts'
import { createExportSource } from './postgres/export-source.ts'
import { createQaSamples } from './postgres/qa-samples.ts'
import { createSystemicAlerts } from './postgres/systemic-alerts.ts'
import { createAssist } from './postgres/assist.ts'
import { createMessages } from './postgres/messages.ts'
import { createProviderCalls } from './postgres/provider-calls.ts'
import { createTurnSteps } from './postgres/turn-steps.ts'
import { createTurnRecords } from './postgres/turn-records.ts'
import { createReplyStream } from './redis/reply-stream.ts'
import { createCatalogueStatus } from './redis/catalogue-status.ts'
import { createRoutingRejections } from './redis/routing-rejections.ts'
import { createResources } from './postgres/resources.ts'
import { createSecrets } from './postgres/secrets.ts'
import { createTurnFacts } from './postgres/turn-facts.ts'
import { createPolicyState } from './postgres/policy-state.ts'
import { createSpending } from './postgres/spending.ts'
import { createApprovals } from './postgres/approvals.ts'
import { createDeploymentKeys } from './postgres/deployment-keys.ts'
// Channels (tenants, keys, idempotency, webhooks; issue 3)
import { createApiKeys } from './postgres/api-keys.ts'
import { createIdempotency } from './postgres/idempotency.ts'
import { createTenantConversations } from './postgres/tenant-conversations.ts'
import { createTenants } from './postgres/tenants.ts'
import { createWebhooks } from './postgres/webhooks.ts'
import { createTicketReplies } from './postgres/ticket-replies.ts'
import { createRateLimiter } from './redis/rate-limit.ts'
// Sessions: hot, warm and cold tiers, customers, retention, erasure and export (issue 4)
import { createSessionTiers, type SessionTierOptions } from './sessions/session-tiers.ts'
import { createKnowledge } from './knowledge/knowledge.ts'
// The agent console: people and sessions, handoff packages, queues and SLA clocks, notes, canned responses, QA
import { createConsoleInbox } from './postgres/console-inbox.ts'
import { createConsolePeople } from './postgres/console-people.ts'
import { createConsoleWorkspace } from './postgres/console-workspace.ts'
import { createHandoffPackages } from './postgres/handoff-packages.ts'
import { createHandoffQueues } from './postgres/handoff-queues.ts'
import { createHandoffSla } from './postgres/handoff-sla.ts'
// Proactive outreach: campaign runs, deliveries, consent, order events
import { createOutreach } from './outreach/outreach.ts'
// Arena: runs and their trials, kept scenarios and suites, promotion decisions, what a conversation did
import { createArenaRuns } from './postgres/arena-runs.ts'
import { createArenaEvidence } from './postgres/arena-evidence.ts'
import { createArenaScenarios } from './postgres/arena-scenarios.ts'
import { createArenaSuites } from './postgres/arena-suites.ts'
import { createPromotionDecisions } from './postgres/promotion-decisions.ts'

export { createSql, type Sql, type PostgresOptions } from './postgres/client.ts'
export { migrate, isMigrated, listMigrations } from './postgres/migrate.ts'
export { createRedisClient } from './redis/client.ts'
export type { Conversation, ConversationStatus, Conversations, DoubleTexting, NewConversation } from './postgres/conversations.ts'
export type { StoredMessage, NewMessage, Role, Messages, UnansweredMessage } from './postgres/messages.ts'
export type { ModelCallStep, RecordedStep, TurnSteps } from './postgres/turn-steps.ts'
export { transcriptTurn, type TurnContextRows } from './postgres/turn-context.ts'
export { MERGED_STEP, PASSED_STEP } from './postgres/settled-steps.ts'
/** One turn as stored, for the "why did it say that" view (issue 7). */
export type { ToolCallRecord, TurnRecord, TurnRecords, TurnStepRecord } from './postgres/turn-records.ts'
export type { ProviderCallRecord, ProviderCalls } from './postgres/provider-calls.ts'
export type { Escalation, Escalations } from './postgres/escalations.ts'
export type { Handoff, HandoffOutcome, HandoffStatus, Handoffs } from './postgres/handoffs.ts'
/** The warehouse export's reads, checkpoints and dead letters. */
export { createExportSource, EXPORT_STREAMS, type ExportCheckpoint, type ExportPage, type ExportPosition, type ExportRow, type ExportSource, type ExportStream, type SourceStream } from './postgres/export-source.ts'
/** The daily QA sample: candidates and the once-per-day run. */
export { createQaSamples, type QaSampleCandidate, type QaSampleRow, type QaSamples } from './postgres/qa-samples.ts'
/** Systemic issues: cluster counts per window and the alerts. */
export { createSystemicAlerts, type ClusterWindowCount, type SystemicAlert, type SystemicAlerts } from './postgres/systemic-alerts.ts'
/** Per-conversation facts the KPIs judge; also built alone by benchmarks and tests over a bare `Sql`. */
export { createKpiFacts, type KpiFactsQuery, type KpiFactsRepository } from './postgres/kpi-facts.ts'
/** Each conversation's judged row: the sweep that keeps it current and the KPI read that sums it. */
export { createKpiOutcomes, type KpiAggregateQuery, type KpiOutcomes, type OutcomeSweepOptions, type RejudgeFilter } from './postgres/kpi-outcomes.ts'
export type { AgentMode, Assist, DraftOutcome, ReplyDraft } from './postgres/assist.ts'
/** Versioned declarative resources (agents, tools, MCP servers, policies) and tenant secrets. */
export type { ApplyOutcome, ApplyRequest, ResourceKey, Resources, StoredResource } from './postgres/resources.ts'
export type { SecretInfo, Secrets } from './postgres/secrets.ts'
export type { TurnFacts, TurnFactsRepository } from './postgres/turn-facts.ts'
export type { CatalogueStatus, ToolSourceStatus } from './redis/catalogue-status.ts'
/** What the tool boundary enforces under an AgentPolicy: authentication, consent, decisions, spending, approvals. */
export type { PolicyDecisionRecord, PolicyState, StoredDecision } from './postgres/policy-state.ts'
export type { Reservation, ReserveOutcome, SpendCaps, Spending } from './postgres/spending.ts'
export type { ApprovalRequest, Approvals, NewApproval } from './postgres/approvals.ts'
export type { DeploymentKeys } from './postgres/deployment-keys.ts'
export { CONVERSATION_EVENT_TYPES, type ConversationEvent, type ConversationEventType, type StreamEntry, type ReplyStream } from './redis/reply-stream.ts'
// Channels (tenants, keys, idempotency, webhooks; issue 3)
export type { Tenant, NewTenant, Tenants } from './postgres/tenants.ts'
export { SCOPES, hashApiKey, type ApiKey, type ApiKeys, type IssuedKey, type Scope } from './postgres/api-keys.ts'
export type { Idempotency, IdempotentRequest, IdempotentResponse, TxSql } from './postgres/idempotency.ts'
export type {
  ConversationFilter, ConversationPosition, ListedConversation, NewTenantConversation, PostOutcome, ReopenOutcome,
  TenantConversation, TenantConversations,
} from './postgres/tenant-conversations.ts'
export type {
  AttemptResult, DeliveryStatus, DeliveryTarget, NewDelivery, WebhookDelivery, WebhookSubscription, Webhooks,
} from './postgres/webhooks.ts'
export type { RateDecision, RateLimiter } from './redis/rate-limit.ts'
/** Replies posted back into tickets: connections and the outbox. */
export {
  TICKET_SYSTEMS, type DueTicketReply, type ReplyAttempt, type TicketConnection, type TicketReplies, type TicketReply,
  type TicketReplyStatus, type TicketSystem,
} from './postgres/ticket-replies.ts'
// Routing (issue 5): circuit breakers, provider rate limits and budget counters shared by every worker.
/** Redis-backed `RoutingState` for `createRoutingGateway` in providers/. */
export { createRoutingState } from './redis/routing-state.ts'
export type { RoutingState as RedisRoutingState } from './redis/routing-state.ts'
/** The RoutingPolicy versions each worker refuses (a provider it lacks), reported by workers and read by the API. */
export { createRoutingRejections, type RoutingRejections } from './redis/routing-rejections.ts'
export { createEventHub, type EventHub, type EventHubOptions, type EventSubscription } from './redis/event-hub.ts'
export { compareCursor } from './redis/event-hub-reader.ts'
// Sessions (issue 4)
export type { SessionTierOptions, SessionTiers } from './sessions/session-tiers.ts'
export { sessionTiersFromConfig } from './sessions/tier-config.ts'
export type { Sessions, SessionLoad, Tier } from './sessions/sessions.ts'
export type { AppendedRow, ConversationContext, RelatedMessage } from './postgres/session-messages.ts'
export type { BlobStore } from './blobs/blob-store.ts'
export { createDirBlobStore } from './blobs/dir-blob-store.ts'
export { createS3BlobStore, type S3BlobStore, type S3BlobStoreOptions } from './blobs/s3-blob-store.ts'
export { archiveKey, type Archiver, type ArchiveOutcome, type ArchiveStep } from './archive/archiver.ts'
export {
  normalizeIdentity, type Attribution, type Customer, type Customers, type Identity, type IdentityAuditEntry, type IdentityKind,
} from './postgres/customers.ts'
/** The RetentionPolicy resources in force (every tenant's) kept on the resolver, reloaded every few seconds. */
export {
  createRetentionResolver, watchRetentionPolicies, type ResolvedRetention, type RetentionPolicy, type RetentionResolver, type RetentionSource,
} from './retention/retention-policy.ts'
export { scheduleRetention, type RetentionJob, type RetentionReport } from './retention/retention-job.ts'
export type { DequeueConversations, EraseCustomer, ErasureReport } from './privacy/erasure.ts'
export type { CustomerExport, ExportCustomer, ExportedConversation } from './privacy/dsar-export.ts'
// Knowledge bases: versioned articles, passages in Postgres full-text search, re-index jobs.
export type { Knowledge } from './knowledge/knowledge.ts'
export { KNOWLEDGE_LANGUAGES, type KnowledgeBase, type KnowledgeBases, type KnowledgeLanguage, type NewKnowledgeBase } from './knowledge/knowledge-bases.ts'
export type {
  Article, ArticleFormat, ArticleSource, ArticleVersion, ArticleVersionContent, ArticleWrite, Articles, PutOptions, PutOutcome,
} from './knowledge/articles.ts'
export type { PassageRecord } from './knowledge/passage-rows.ts'
/** The per-turn retrieval: `storage.knowledge.retrieve({ tenantId, knowledgeBase, query, limit })`. */
export { queryTerms, type FoundPassage, type RecordedRetrieval, type RetrievedPassage, type RetrieveRequest } from './knowledge/retrieval.ts'
export type { IndexItem, IndexItemFailure, IndexItemKind, IndexJob, IndexJobs, IndexJobStatus } from './knowledge/index-jobs.ts'
// The agent console
export type {
  CustomerProfile, HandoffFacts, HandoffPackage, HandoffPackages, PackageAction, PackageFailure, RoutedEscalation, SentimentReading,
  TicketFields,
} from './postgres/handoff-packages.ts'
export type { Assignment, HandoffQueue, HandoffQueues, QueueSettings, WaitFigures } from './postgres/handoff-queues.ts'
export type { HandoffSla, HoldingDue, SlaBreach, SlaKind } from './postgres/handoff-sla.ts'
export {
  CONSOLE_ROLES, type ConsolePeople, type ConsoleRole, type ConsoleSession, type ConsoleUser, type NewConsoleUser, type UserChanges,
} from './postgres/console-people.ts'
export type { ConsoleInbox, ConversationHandoff, DraftWaiting, InboxFilter, InboxItem, QaCandidate, QueueCount } from './postgres/console-inbox.ts'
export type { CannedResponse, ConsoleWorkspace, ConversationNote, HandoffRating, QaReview } from './postgres/console-workspace.ts'
/** Proactive outreach: occurrences (runs), per-customer deliveries, consent and suppression, order events. */
export type { Outreach } from './outreach/outreach.ts'
export type { DecidedRow, NewRun, OutreachRun, RunStatus, Runs } from './outreach/runs.ts'
export type { CampaignKpis, Deliveries, Delivery as OutreachDelivery, DeliveryStatus as OutreachDeliveryStatus, RunProgress } from './outreach/deliveries.ts'
export { AUDIENCE_COLUMNS, type AudienceMember, type AudienceQuery } from './outreach/audience.ts'
export type { Consent, ConsentRecord } from './outreach/consent.ts'
export type { OrderEvent, OrderEvents } from './outreach/order-events.ts'
export type { TicketEvent as OutreachTicketEvent, TicketEvents as OutreachTicketEvents } from './outreach/ticket-events.ts'
export type { CampaignInForce } from './outreach/campaigns.ts'

/**
 * Every repository over one Postgres pool and one Redis client.
 * @example const storage = createStorage(createSql(config.postgres), createRedisClient(config.redis.url), 'switchboard')
 */
export interface StorageOptions {
  /** SECRETS_KEY: seals tenant secrets; unset disables them. */
  secretsKey?: string
}

export function createStorage(sql: Sql, redis: Redis, prefix: string, tiers?: SessionTierOptions, options: StorageOptions = {}) {
  const events = createReplyStream(redis, prefix)
  return {
    sql,
    redis,
    conversations: createConversations(sql),
    messages: createMessages(sql),
    turnSteps: createTurnSteps(sql),
    turnRecords: createTurnRecords(sql),
    providerCalls: createProviderCalls(sql),
    escalations: createEscalations(sql),
    handoffs: createHandoffs(sql),
    kpiFacts: createKpiFacts(sql),
    kpiOutcomes: createKpiOutcomes(sql),
    exportSource: createExportSource(sql),
    qaSamples: createQaSamples(sql),
    systemicAlerts: createSystemicAlerts(sql),
    assist: createAssist(sql),
    resources: createResources(sql),
    secrets: createSecrets(sql, options.secretsKey),
    turnFacts: createTurnFacts(sql),
    catalogue: createCatalogueStatus(redis, prefix),
    routingRejections: createRoutingRejections(redis, prefix),
    policyState: createPolicyState(sql),
    spending: createSpending(sql),
    approvals: createApprovals(sql),
    deploymentKeys: createDeploymentKeys(sql),
    events,
    // Channels (issue 3)
    tenants: createTenants(sql),
    apiKeys: createApiKeys(sql),
    idempotency: createIdempotency(sql),
    chat: createTenantConversations(sql),
    webhooks: createWebhooks(sql),
    ticketReplies: createTicketReplies(sql),
    rateLimiter: createRateLimiter(redis, prefix),
    knowledge: createKnowledge(sql),
    // Sessions (issue 4): sessions, customers, archiver, retention, eraseCustomer, exportCustomer, blobs
    ...createSessionTiers(sql, redis, prefix, events.streamKey, tiers),
    // The agent console
    handoffPackages: createHandoffPackages(sql),
    handoffQueues: createHandoffQueues(sql),
    handoffSla: createHandoffSla(sql),
    consolePeople: createConsolePeople(sql),
    consoleInbox: createConsoleInbox(sql),
    consoleWorkspace: createConsoleWorkspace(sql),
    outreach: createOutreach(sql),
    arenaRuns: createArenaRuns(sql),
    arenaEvidence: createArenaEvidence(sql),
    arenaScenarios: createArenaScenarios(sql),
    arenaSuites: createArenaSuites(sql),
    promotions: createPromotionDecisions(sql),
  }
}
export type Storage = ReturnType<typeof createStorage>

/** Arena runs (trials claimed one at a time, resumable), a conversation's evidence, and a retail sandbox per lane. */
export type { ArenaRun, ArenaRuns, ArenaRunStatus, ArenaTrial, NewArenaRun, TrialKey } from './postgres/arena-runs.ts'
export type { ArenaEvidence, ConversationEvidence } from './postgres/arena-evidence.ts'
export type { ArenaScenarios, RecordedConversation, StoredScenario } from './postgres/arena-scenarios.ts'
export type { ArenaSuite, ArenaSuites } from './postgres/arena-suites.ts'
export type { MaturityLevel, NewDecision, PromotionDecision, PromotionDecisions, TypeMaturity } from './postgres/promotion-decisions.ts'
export { createRetailSandbox, type RetailSandbox } from './postgres/retail-sandbox.ts'
export { createArenaRuns } from './postgres/arena-runs.ts'
export { createResources } from './postgres/resources.ts'
