// The only reader of process.env: parses it once against a schema, with defaults for the local services.
// OTel settings stay in the standard OTEL_* variables, read by the OTel SDK itself.
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { hostname } from 'node:os'
import { AppError } from './errors.ts'
import { ArenaEnv, arenaConfig } from './config-arena.ts'
import { ControllerEnv, controllerConfig } from './config-controller.ts'
import { exportConfig, KpiEnv, kpiConfig, kpiSweepConfig, parquetExportConfig, qaSamplingConfig, systemicConfig } from './config-kpis.ts'

const Int = (def: number, min: number, description: string) =>
  Type.Integer({ default: def, minimum: min, description })

const EnvSchema = Type.Object({
  /** Which parts this process runs; `controller` applies Kubernetes custom resources. @defaultValue 'all' (API and worker) */
  ROLE: Type.Union([Type.Literal('api'), Type.Literal('worker'), Type.Literal('all'), Type.Literal('controller')], { default: 'all' }),
  /** @defaultValue 8080 */
  PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535, description: 'HTTP port of the API' }),
  /** @defaultValue '0.0.0.0' */
  HOST: Type.String({ default: '0.0.0.0', minLength: 1 }),
  /** @defaultValue 'redis://127.0.0.1:6379' */
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379', pattern: '^rediss?://', description: 'a redis:// URL' }),
  /** Namespace of every queue and key, so several deployments (or test files) share one Redis. */
  QUEUE_PREFIX: Type.String({ default: 'switchboard', pattern: '^[A-Za-z0-9_-]+$' }),
  /** @defaultValue 'postgres://postgres@127.0.0.1:5432/test' */
  DATABASE_URL: Type.String({
    default: 'postgres://postgres@127.0.0.1:5432/test',
    pattern: '^postgres(ql)?://',
    description: 'a postgres:// URL',
  }),
  /** Postgres schema holding Switchboard's tables. @defaultValue 'public' */
  DATABASE_SCHEMA: Type.String({ default: 'public', pattern: '^[a-z_][a-z0-9_]*$' }),
  /**
   * Postgres connections per process. Few is faster: postgres.js pipelines statements on a connection, while every
   * extra connection is a backend that wakes for its share of each burst of turns and contends for the same cores.
   * @defaultValue 5
   */
  DATABASE_POOL_MAX: Int(5, 1, 'Postgres connections per process'),
  /** Active conversation actors one worker process holds before applying backpressure. */
  ACTOR_MAX_ACTIVE: Int(1000, 1, 'cap on active actors per worker process'),
  /** An actor idle this long is passivated (its state dropped, its lease released). */
  ACTOR_IDLE_TIMEOUT_MS: Int(30_000, 10, 'idle time before passivation, ms'),
  /** Ownership lease: a dead owner's conversations are re-activated elsewhere after about this long. */
  ACTOR_LEASE_TTL_MS: Int(10_000, 500, 'ownership lease TTL, ms'),
  /** In-process retries of a turn that failed on infrastructure before it is given up and escalated. */
  ACTOR_TURN_ATTEMPTS: Int(5, 1, 'attempts per turn'),
  /** A turn that meets an outage (Postgres or Redis unreachable) waits it out this long, retrying, before it escalates. */
  ACTOR_OUTAGE_RETRY_MS: Int(60_000, 0, 'how long a turn waits out an outage, ms'),
  /** On SIGTERM, in-flight turns get this long to finish; the rest is handed back. Keep below the k8s grace period. */
  SHUTDOWN_GRACE_MS: Int(25_000, 0, 'graceful shutdown budget, ms'),
  POOL_PROVIDER_CONCURRENCY: Int(64, 1, 'concurrent provider calls per provider queue and worker process'),
  /**
   * The provider (vendor) queues a worker serves, comma-separated: `*` every provider of ROUTING_PROVIDERS, `none` none.
   * A per-vendor Deployment sets one, with WORKER_ACTORS=false. The built-in `local` and `echo` have no queue: they run in
   * the conversation's own process.
   */
  PROVIDER_QUEUES: Type.String({ default: '*', pattern: '^(\\*|none|[a-z0-9-]+(,[a-z0-9-]+)*)$', description: 'provider queues this worker serves' }),
  /** False: the worker runs only its provider queues (no conversation actors, other pools or timers). */
  WORKER_ACTORS: Type.Boolean({ default: true, description: 'run conversation actors and the other pools' }),
  POOL_GUARDRAIL_CONCURRENCY: Int(32, 1, 'concurrent guardrail checks per worker process'),
  POOL_TOOL_CONCURRENCY: Int(32, 1, 'concurrent tool calls per worker process'),
  POOL_ESCALATION_CONCURRENCY: Int(8, 1, 'concurrent escalations per worker process'),
  POOL_OUTREACH_CONCURRENCY: Int(8, 1, 'concurrent outreach sends per worker process'),
  /** How often a worker reads order events and reconciles cron schedulers and unfinished campaign runs. */
  OUTREACH_TICK_MS: Int(1000, 50, 'outreach reconcile interval, ms'),
  /** Customers decided per transaction of a campaign run (the unit of progress and of pausing). */
  OUTREACH_PAGE_SIZE: Int(1000, 1, 'customers decided per page'),
  OUTREACH_SEND_CONCURRENCY: Int(16, 1, 'proactive messages delivered at once per run'),
  /** The demo agent's model: the offline `local` model, or `echo` (instant acknowledgement, for load tests). */
  AGENT_PROVIDER: Type.Union([Type.Literal('local'), Type.Literal('echo')], { default: 'local' }),
  /** Simulated latency of the `echo` provider, to load-test with turns in flight. @defaultValue 0 */
  ECHO_DELAY_MS: Int(0, 0, 'echo provider latency, ms'),
  /** Largest request body the API reads; bigger ones get 413 `request.too_large`. @defaultValue 65536 */
  API_MAX_BODY_BYTES: Int(65_536, 1024, 'request body limit, bytes'),
  /** Longest customer message, in characters (the protocol's own cap is 16,000). @defaultValue 8000 */
  API_MAX_MESSAGE_CHARS: Type.Integer({ default: 8000, minimum: 1, maximum: 16_000 }),
  /** Requests one tenant may make per second across all API processes (tenants may override). */
  API_RATE_LIMIT_PER_S: Int(100, 1, 'per-tenant requests per second'),
  /** How long a verified API key is trusted without a database read; bounds how late a revocation bites. */
  API_KEY_CACHE_MS: Int(5000, 0, 'API key cache TTL, ms'),
  /** Origins browsers may call the API from, comma-separated (`https://shop.example`), or `*` for any. @defaultValue '*' */
  API_CORS_ORIGINS: Type.String({
    default: '*', pattern: '^(\\*|https?://[^\\s,/]+(,\\s*https?://[^\\s,/]+)*)$',
    description: 'origins such as https://shop.example, comma-separated, or *',
  }),
  /** How long a conversation-scoped customer token (for widgets and apps) stays valid. @defaultValue 3600 */
  CUSTOMER_TOKEN_TTL_S: Int(3600, 10, 'customer token lifetime, s'),
  /** Requests one customer token may make per second. @defaultValue 10 */
  CUSTOMER_RATE_LIMIT_PER_S: Int(10, 1, 'requests per second per customer token'),
  /** Comment lines keep idle SSE connections (and proxies) open. @defaultValue 15000 */
  SSE_HEARTBEAT_MS: Int(15_000, 50, 'SSE heartbeat interval, ms'),
  /** When set, the demo tenant gets exactly this API key instead of a generated one. */
  SWITCHBOARD_DEMO_API_KEY: Type.Optional(Type.String({ minLength: 16 })),
  /** Bearer token of the operator's /v1/admin routes; unset disables them. */
  SWITCHBOARD_ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  /** Outbound webhook attempts before a delivery is dead-lettered. @defaultValue 8 */
  WEBHOOK_MAX_ATTEMPTS: Int(8, 1, 'outbound webhook attempts'),
  /** First retry delay of an outbound webhook; doubles per attempt. @defaultValue 2000 */
  WEBHOOK_BACKOFF_MS: Int(2000, 1, 'outbound webhook backoff base, ms'),
  /** Time an outbound webhook receiver gets to answer. @defaultValue 10000 */
  WEBHOOK_TIMEOUT_MS: Int(10_000, 100, 'outbound webhook timeout, ms'),
  /** How often a worker looks for replies to post back into tickets (attempts, backoff, timeout: WEBHOOK_*). @defaultValue 1000 */
  TICKET_REPLY_POLL_MS: Int(1000, 10, 'ticket reply outbox poll interval, ms'),
  // Sessions (issue 4): hot, warm and cold tiers, retention.
  /** Hot-tier TTL where no retention policy matches, refreshed on activity. @defaultValue 3600 */
  HOT_TTL_S: Int(3600, 1, 'hot session TTL, s'),
  /**
   * Recent messages kept per conversation in the hot tier. At least the conversation actor's context (60 messages,
   * DEFAULT_HISTORY_LIMIT): an activation that needs more than hot holds reads Postgres instead. @defaultValue 60
   */
  HOT_MAX_MESSAGES: Int(60, 1, 'messages per hot session'),
  /** How far back a new conversation sees the customer's other conversations. @defaultValue 30 */
  HISTORY_LOOKBACK_DAYS: Type.Number({ default: 30, minimum: 0, description: 'cross-channel look-back, days' }),
  /**
   * YAML file of RetentionPolicy documents (retention/default.yaml), applied to the versioned store as the operator
   * at start and on change, like RESOURCES_DIR. With no RetentionPolicy in force nothing expires and hot uses HOT_TTL_S.
   */
  RETENTION_POLICIES: Type.Optional(Type.String({ minLength: 1 })),
  /** How often one worker applies the retention policies; 0 disables the job. @defaultValue 3600 */
  RETENTION_INTERVAL_S: Int(3600, 0, 'retention job interval, s'),
  /** Directory of the cold tier when no S3 bucket is configured (quick start). @defaultValue '.data/blobs' */
  BLOB_DIR: Type.String({ default: '.data/blobs', minLength: 1 }),
  /** S3 bucket of the cold tier; when set, S3 (or any S3-API service) is used instead of BLOB_DIR. */
  S3_BUCKET: Type.Optional(Type.String({ minLength: 3 })),
  /** Custom S3 endpoint (MinIO, Ceph, GCS interoperability); unset for AWS. */
  S3_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://', description: 'an http(s):// URL' })),
  /** @defaultValue 'us-east-1' */
  S3_REGION: Type.String({ default: 'us-east-1', minLength: 1 }),
  /** Path-style URLs, which most self-hosted S3 services need. @defaultValue false */
  S3_FORCE_PATH_STYLE: Type.Boolean({ default: false }),
  /** Static S3 credentials; when unset the AWS SDK's default chain (env, profile, IAM role) applies. */
  S3_ACCESS_KEY_ID: Type.Optional(Type.String({ minLength: 1 })),
  S3_SECRET_ACCESS_KEY: Type.Optional(Type.String({ minLength: 1 })),
  // Knowledge bases: the re-index job's page fetches.
  /** Time one knowledge page fetch gets, redirects and body included. @defaultValue 15000 */
  KNOWLEDGE_FETCH_TIMEOUT_MS: Int(15_000, 100, 'knowledge page fetch timeout, ms'),
  /** Largest fetched page or imported file, in bytes (API uploads are capped by API_MAX_BODY_BYTES). @defaultValue 2097152 */
  KNOWLEDGE_MAX_ARTICLE_BYTES: Int(2_097_152, 1024, 'largest knowledge article, bytes'),
  /** Let URL lists reach private, loopback and link-local addresses (an intranet help centre). @defaultValue false */
  KNOWLEDGE_FETCH_ALLOW_PRIVATE: Type.Boolean({ default: false }),
  /** Pages one re-index job fetches at once. @defaultValue 4 */
  KNOWLEDGE_FETCH_CONCURRENCY: Int(4, 1, 'concurrent page fetches per re-index job'),
  // Routing (issue 5): RoutingPolicy resources, hot reload and the providers they route to.
  /**
   * YAML RoutingPolicy files, comma-separated (see policies/routing.example.yaml), applied to the versioned store
   * as the operator at start and on change, like RESOURCES_DIR. Agents name a policy by its `metadata.name`.
   */
  ROUTING_POLICY: Type.Optional(Type.String({ minLength: 1 })),
  /**
   * The RoutingPolicy that agents without a model of their own answer through. @defaultValue the first
   * ROUTING_POLICY file's; with neither, AGENT_PROVIDER
   */
  ROUTING_DEFAULT_POLICY: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' })),
  /** How often workers read the RoutingPolicy resources in force (and files are checked). @defaultValue 1000 */
  ROUTING_POLICY_POLL_MS: Int(1000, 50, 'routing policy reload poll, ms'),
  /** JSON array of provider specs (`{ "vendor": "openai", "apiKey": …, "name": … }`), usually from a Kubernetes secret. */
  ROUTING_PROVIDERS: Type.Optional(Type.String({ minLength: 2 })),
  // Agents and tools a team defines.
  /** A directory of resource documents (agents, tools, MCP servers) applied at start and on change; empty disables. */
  RESOURCES_DIR: Type.String({ default: 'demo/resources' }),
  /** Seals tenant secrets (tool credentials): 32 bytes, base64 (`openssl rand -base64 32`). Unset disables secrets. */
  SECRETS_KEY: Type.Optional(Type.String({ minLength: 40, maxLength: 64 })),
  /** Let tenant-declared HTTP tools and MCP servers reach loopback and private addresses. @defaultValue false */
  HTTP_TOOLS_ALLOW_PRIVATE_NETWORKS: Type.Boolean({ default: false }),
  /** How often a worker compares a tenant's tool sources and agents with the store. @defaultValue 2000 */
  CATALOGUE_REFRESH_MS: Int(2000, 10, 'tool catalogue and agent refresh, ms'),
  /** How long a tool source that failed, or a tool that timed out, stays withdrawn. @defaultValue 30000 */
  TOOL_WITHDRAW_MS: Int(30_000, 10, 'withdrawal cool-down, ms'),
  /** How long an MCP server gets to connect and list its tools. @defaultValue 5000 */
  MCP_CONNECT_TIMEOUT_MS: Int(5000, 50, 'MCP connect timeout, ms'),
  // Observability (issue 7). The OTEL_* values themselves are read by the OTel SDK; they appear here only
  // to decide whether to install it at all (an unset exporter costs nothing).
  /** Port of the worker's /metrics (Prometheus, KEDA); 0 picks a free one. @defaultValue 9464 */
  METRICS_PORT: Type.Integer({ default: 9464, minimum: 0, maximum: 65535, description: 'worker metrics port' }),
  OTEL_SDK_DISABLED: Type.Optional(Type.String()),
  OTEL_TRACES_EXPORTER: Type.Optional(Type.String()),
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.Optional(Type.String()),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: Type.Optional(Type.String()),
  /** Record prompts and responses (PII-redacted) on model-call spans. @defaultValue false */
  OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: Type.Boolean({ default: false }),
  // The agent console: sign-in sessions and the SLA clocks of handoffs.
  /** How long a console sign-in lasts. @defaultValue 43200 (12 h) */
  CONSOLE_SESSION_TTL_S: Int(43_200, 60, 'console session lifetime, s'),
  /** How often each worker sweeps handoff SLA clocks (breaches, holding messages); 0 turns the sweep off. @defaultValue 5000 */
  CONSOLE_SLA_SWEEP_MS: Int(5000, 0, 'SLA sweep interval, ms'),
  /** When set, the demo tenant's console admin (admin@demo.example) gets this password instead of a generated one. */
  SWITCHBOARD_DEMO_CONSOLE_PASSWORD: Type.Optional(Type.String({ minLength: 12 })),
  ...ControllerEnv,
  ...ArenaEnv,
  ...KpiEnv,
  /** Identity of this process in leases and logs. @defaultValue `${hostname}-${pid}` */
  WORKER_ID: Type.String({ default: `${hostname()}-${process.pid}`, minLength: 1 }),
  LOG_LEVEL: Type.Union(
    [Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')],
    { default: 'info' },
  ),
})
type Env = Static<typeof EnvSchema>

export type Role = Env['ROLE']

function compileConfig(env: Env, raw: Readonly<Record<string, string | undefined>>) {
  return {
    role: env.ROLE,
    logLevel: env.LOG_LEVEL,
    workerId: env.WORKER_ID,
    api: {
      host: env.HOST,
      port: env.PORT,
      maxBodyBytes: env.API_MAX_BODY_BYTES,
      maxMessageChars: env.API_MAX_MESSAGE_CHARS,
      rateLimitPerS: env.API_RATE_LIMIT_PER_S,
      keyCacheMs: env.API_KEY_CACHE_MS,
      corsOrigins: env.API_CORS_ORIGINS.split(',').map((o) => o.trim()),
      sseHeartbeatMs: env.SSE_HEARTBEAT_MS,
      customerTokenTtlMs: env.CUSTOMER_TOKEN_TTL_S * 1000,
      customerRatePerS: env.CUSTOMER_RATE_LIMIT_PER_S,
      adminToken: env.SWITCHBOARD_ADMIN_TOKEN,
      demoApiKey: env.SWITCHBOARD_DEMO_API_KEY,
    },
    webhooks: {
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS, backoffMs: env.WEBHOOK_BACKOFF_MS, timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      ticketReplyPollMs: env.TICKET_REPLY_POLL_MS,
    },
    redis: { url: env.REDIS_URL, prefix: env.QUEUE_PREFIX },
    postgres: { url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA, maxConnections: env.DATABASE_POOL_MAX },
    actors: {
      maxActive: env.ACTOR_MAX_ACTIVE,
      idleTimeoutMs: env.ACTOR_IDLE_TIMEOUT_MS,
      leaseTtlMs: env.ACTOR_LEASE_TTL_MS,
      turnAttempts: env.ACTOR_TURN_ATTEMPTS,
      outageRetryMs: env.ACTOR_OUTAGE_RETRY_MS,
    },
    worker: {
      actors: env.WORKER_ACTORS,
      /** `*` (every configured provider) or the names listed. */
      providerQueues: env.PROVIDER_QUEUES === '*' ? ('*' as const) : env.PROVIDER_QUEUES === 'none' ? [] : env.PROVIDER_QUEUES.split(','),
    },
    pools: {
      provider: env.POOL_PROVIDER_CONCURRENCY,
      guardrail: env.POOL_GUARDRAIL_CONCURRENCY,
      tool: env.POOL_TOOL_CONCURRENCY,
      escalation: env.POOL_ESCALATION_CONCURRENCY,
      outreach: env.POOL_OUTREACH_CONCURRENCY,
    },
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    controller: controllerConfig(env),
    kpis: kpiConfig(env),
    kpiSweep: kpiSweepConfig(env),
    qaSampling: qaSamplingConfig(env),
    systemicIssues: systemicConfig(env),
    arena: arenaConfig(env),
    clickhouseExport: exportConfig(env),
    parquetExport: parquetExport(env),
    agent: { provider: env.AGENT_PROVIDER, echoDelayMs: env.ECHO_DELAY_MS },
    sessions: {
      hotTtlMs: env.HOT_TTL_S * 1000,
      hotMaxMessages: env.HOT_MAX_MESSAGES,
      lookbackMs: env.HISTORY_LOOKBACK_DAYS * 86_400_000,
      retentionPolicies: env.RETENTION_POLICIES,
      retentionIntervalMs: env.RETENTION_INTERVAL_S * 1000,
    },
    blobs: blobConfig(env),
    telemetry: {
      traces: tracesExporter(env),
      captureContent: env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT,
      metricsPort: env.METRICS_PORT,
    },
    console: {
      sessionTtlMs: env.CONSOLE_SESSION_TTL_S * 1000,
      slaSweepMs: env.CONSOLE_SLA_SWEEP_MS,
      demoPassword: env.SWITCHBOARD_DEMO_CONSOLE_PASSWORD,
    },
    outreach: { tickMs: env.OUTREACH_TICK_MS, pageSize: env.OUTREACH_PAGE_SIZE, sendConcurrency: env.OUTREACH_SEND_CONCURRENCY },
    knowledge: {
      fetchTimeoutMs: env.KNOWLEDGE_FETCH_TIMEOUT_MS,
      maxArticleBytes: env.KNOWLEDGE_MAX_ARTICLE_BYTES,
      allowPrivateUrls: env.KNOWLEDGE_FETCH_ALLOW_PRIVATE,
      fetchConcurrency: env.KNOWLEDGE_FETCH_CONCURRENCY,
    },
    routing: {
      policyPaths: (env.ROUTING_POLICY ?? '').split(',').map((p) => p.trim()).filter((p) => p !== ''),
      defaultPolicy: env.ROUTING_DEFAULT_POLICY,
      pollMs: env.ROUTING_POLICY_POLL_MS,
      providers: providerSpecs(env.ROUTING_PROVIDERS),
    },
    agents: {
      resourcesDir: env.RESOURCES_DIR.trim() || undefined,
      secretsKey: env.SECRETS_KEY,
      allowPrivateNetworks: env.HTTP_TOOLS_ALLOW_PRIVATE_NETWORKS,
      refreshMs: env.CATALOGUE_REFRESH_MS,
      withdrawMs: env.TOOL_WITHDRAW_MS,
      mcpConnectTimeoutMs: env.MCP_CONNECT_TIMEOUT_MS,
      /** Operator-applied resources may name environment variables as secrets (`secretRef: { env }`). */
      environment: raw,
    },
  } as const
}

/** How S3 is reached (endpoint, region, credentials): the cold tier's bucket and the Parquet export's share it. */
function s3Connection(env: Env) {
  if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY) {
    throw new AppError('config.invalid', 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together')
  }
  const credentials = env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
    ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } : undefined
  return { region: env.S3_REGION, endpoint: env.S3_ENDPOINT, forcePathStyle: env.S3_FORCE_PATH_STYLE, credentials }
}

/** The cold tier's store: S3 when a bucket is named, else a local directory. */
function blobConfig(env: Env) {
  if (!env.S3_BUCKET) return { kind: 'dir' as const, dir: env.BLOB_DIR }
  return { kind: 's3' as const, bucket: env.S3_BUCKET, ...s3Connection(env) }
}

/** The Parquet export's bucket, prefix and S3 connection; undefined without a bucket. */
function parquetExport(env: Env) {
  const parquet = parquetExportConfig(env)
  return parquet && { ...parquet, s3: { bucket: parquet.bucket, ...s3Connection(env) } }
}

/** Provider specs stay `unknown` here: providers/ validates each one (and never logs its key). */
function providerSpecs(json: string | undefined): readonly unknown[] {
  if (!json) return []
  let specs: unknown
  try {
    specs = JSON.parse(json)
  } catch {
    throw new AppError('config.invalid', 'ROUTING_PROVIDERS: not valid JSON')
  }
  if (!Array.isArray(specs)) throw new AppError('config.invalid', 'ROUTING_PROVIDERS: expected a JSON array of provider specs')
  return specs
}

/** OTEL_TRACES_EXPORTER wins; else an OTLP endpoint alone switches OTLP on; else tracing is off. */
function tracesExporter(env: Env): 'otlp' | 'console' | 'none' {
  if (env.OTEL_SDK_DISABLED === 'true') return 'none'
  const named = env.OTEL_TRACES_EXPORTER?.split(',')[0]?.trim()
  if (named === 'otlp' || named === 'console' || named === 'none') return named
  if (named) throw new AppError('config.invalid', `OTEL_TRACES_EXPORTER: expected otlp, console or none, got "${named}"`)
  return env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'otlp' : 'none'
}

export type Config = Readonly<ReturnType<typeof compileConfig>>

/** One line per bad field: `PORT: expected integer (HTTP port of the API), got "abc"`. */
function describeErrors(input: Record<string, unknown>): string[] {
  const converted = Value.Convert(EnvSchema, Value.Default(EnvSchema, Value.Clean(EnvSchema, { ...input })))
  const byField = new Map<string, string>()
  for (const e of Value.Errors(EnvSchema, converted)) {
    const field = e.path.replace(/^\//, '') || '(root)'
    if (byField.has(field)) continue
    const hint = (e.schema as { description?: string }).description
    byField.set(field, `${field}: ${e.message}${hint ? ` (${hint})` : ''}, got ${JSON.stringify(e.value)}`)
  }
  return [...byField.values()]
}

/**
 * Parses the environment once. Throws `config.invalid` listing every bad field.
 * @example const config = loadConfig(process.env)
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const problems = describeErrors(input)
  if (problems.length > 0) throw new AppError('config.invalid', problems.join('\n'))
  const parsed = Value.Parse(EnvSchema, input)
  return Object.freeze(compileConfig(parsed, Object.freeze({ ...env })))
}
