// Config for a test's own platform: its own queue prefix and Postgres schema, fast timers.
import { loadConfig, type Config } from '../../lib/config.ts'

export function testEnv(prefix: string, schema: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    QUEUE_PREFIX: prefix,
    DATABASE_SCHEMA: schema,
    REDIS_URL: process.env.REDIS_URL!,
    DATABASE_URL: process.env.DATABASE_URL!,
    PORT: '0',
    METRICS_PORT: '0',
    ACTOR_LEASE_TTL_MS: '2000',
    AGENT_PROVIDER: 'echo',
    SHUTDOWN_GRACE_MS: '5000',
    ...overrides,
  }
}

export function testConfig(prefix: string, schema: string, overrides: Record<string, string> = {}): Config {
  return loadConfig({ ...testEnv(prefix, schema, overrides), LOG_LEVEL: 'error', WORKER_ID: `test-${crypto.randomUUID().slice(0, 8)}` })
}
