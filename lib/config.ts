// The only reader of process.env: parses it once against a schema, with defaults for the local services.
// OTel settings stay in the standard OTEL_* variables, read by the OTel SDK itself.
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { hostname } from 'node:os'
import { AppError } from './errors.ts'

const Int = (def: number, min: number, description: string) =>
  Type.Integer({ default: def, minimum: min, description })

const EnvSchema = Type.Object({
  /** Which parts this process runs. @defaultValue 'all' (API and worker in one process) */
  ROLE: Type.Union([Type.Literal('api'), Type.Literal('worker'), Type.Literal('all')], { default: 'all' }),
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
  /** Active conversation actors one worker process holds before applying backpressure. */
  ACTOR_MAX_ACTIVE: Int(1000, 1, 'cap on active actors per worker process'),
  /** An actor idle this long is passivated (its Worker and connection released). */
  ACTOR_IDLE_TIMEOUT_MS: Int(30_000, 10, 'idle time before passivation, ms'),
  /** Ownership lease: a dead owner's conversations are re-activated elsewhere after about this long. */
  ACTOR_LEASE_TTL_MS: Int(10_000, 500, 'ownership lease TTL, ms'),
  /** In-process retries of a turn that failed on infrastructure before it is given up and escalated. */
  ACTOR_TURN_ATTEMPTS: Int(5, 1, 'attempts per turn'),
  /** On SIGTERM, in-flight turns get this long to finish; the rest is handed back. Keep below the k8s grace period. */
  SHUTDOWN_GRACE_MS: Int(25_000, 0, 'graceful shutdown budget, ms'),
  POOL_PROVIDER_CONCURRENCY: Int(64, 1, 'concurrent provider calls per worker process'),
  POOL_GUARDRAIL_CONCURRENCY: Int(32, 1, 'concurrent guardrail checks per worker process'),
  POOL_TOOL_CONCURRENCY: Int(32, 1, 'concurrent tool calls per worker process'),
  POOL_ESCALATION_CONCURRENCY: Int(8, 1, 'concurrent escalations per worker process'),
  POOL_OUTREACH_CONCURRENCY: Int(8, 1, 'concurrent outreach sends per worker process'),
  /** Identity of this process in leases and logs. @defaultValue `${hostname}-${pid}` */
  WORKER_ID: Type.String({ default: `${hostname()}-${process.pid}`, minLength: 1 }),
  LOG_LEVEL: Type.Union(
    [Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')],
    { default: 'info' },
  ),
})
type Env = Static<typeof EnvSchema>

export type Role = Env['ROLE']

function compileConfig(env: Env) {
  return {
    role: env.ROLE,
    logLevel: env.LOG_LEVEL,
    workerId: env.WORKER_ID,
    api: { host: env.HOST, port: env.PORT },
    redis: { url: env.REDIS_URL, prefix: env.QUEUE_PREFIX },
    postgres: { url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA },
    actors: {
      maxActive: env.ACTOR_MAX_ACTIVE,
      idleTimeoutMs: env.ACTOR_IDLE_TIMEOUT_MS,
      leaseTtlMs: env.ACTOR_LEASE_TTL_MS,
      turnAttempts: env.ACTOR_TURN_ATTEMPTS,
    },
    pools: {
      provider: env.POOL_PROVIDER_CONCURRENCY,
      guardrail: env.POOL_GUARDRAIL_CONCURRENCY,
      tool: env.POOL_TOOL_CONCURRENCY,
      escalation: env.POOL_ESCALATION_CONCURRENCY,
      outreach: env.POOL_OUTREACH_CONCURRENCY,
    },
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
  } as const
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
  return Object.freeze(compileConfig(parsed))
}
