// The Arena's settings on workers: part of lib/config.ts's schema (which alone reads the environment), kept apart
// so each concern's fields stay together.
import { Type, type Static } from '@sinclair/typebox'

export const ArenaEnv = {
  /** How often each worker checks the KPI floors of the levels the promotion gate raised; 0 turns it off. @defaultValue 300000 */
  ARENA_DEMOTION_CHECK_MS: Type.Integer({ default: 300_000, minimum: 0, description: 'demotion check interval, ms' }),
  /** Lanes (in-process platforms) a worker plays runs started from the API on; 0: this worker plays none. @defaultValue 0 */
  ARENA_RUNNER_LANES: Type.Integer({ default: 0, minimum: 0, maximum: 16, description: 'arena lanes per worker' }),
  /** A run whose runner stops renewing its claim this long is taken over (resumed) by another worker. @defaultValue 30000 */
  ARENA_RUN_LEASE_MS: Type.Integer({ default: 30_000, minimum: 1000, description: 'arena run claim lease, ms' }),
}

const ArenaEnvSchema = Type.Object(ArenaEnv)

export function arenaConfig(env: Static<typeof ArenaEnvSchema>) {
  return { demotionCheckMs: env.ARENA_DEMOTION_CHECK_MS, runnerLanes: env.ARENA_RUNNER_LANES, runLeaseMs: env.ARENA_RUN_LEASE_MS }
}
