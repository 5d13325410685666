// Liveness (/healthz: the process answers) and readiness (/readyz: Redis and Postgres reachable, migrated).
// Readiness answers within about a second whatever the stores do: a check that has not answered by then failed.
import { Elysia } from 'elysia'

/** Each named check resolves true when its dependency is usable; a rejection or a late answer counts as false. */
export type ReadinessCheck = Record<string, () => Promise<boolean>>

const CHECK_DEADLINE_MS = 1000

function withinDeadline(check: () => Promise<boolean>): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CHECK_DEADLINE_MS)))
  return Promise.race([check().catch(() => false), late]).finally(() => clearTimeout(timer))
}

export function healthRoutes(readiness: ReadinessCheck) {
  return new Elysia({ name: 'health' })
    .get('/healthz', () => ({ status: 'ok' }))
    .get('/readyz', async ({ set }) => {
      const names = Object.keys(readiness)
      const results = await Promise.all(names.map((name) => withinDeadline(readiness[name]!)))
      const checks = Object.fromEntries(names.map((name, i) => [name, results[i]!]))
      const ready = results.every(Boolean)
      set.status = ready ? 200 : 503
      return { status: ready ? 'ready' : 'not_ready', checks }
    })
}
