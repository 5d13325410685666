// Liveness (/healthz: the process answers) and readiness (/readyz: Redis and Postgres reachable, migrated).
import { Elysia } from 'elysia'

export type ReadinessCheck = () => Promise<Record<string, boolean>>

export function healthRoutes(readiness: ReadinessCheck) {
  return new Elysia({ name: 'health' })
    .get('/healthz', () => ({ status: 'ok' }))
    .get('/readyz', async ({ set }) => {
      const checks = await readiness()
      const ready = Object.values(checks).every(Boolean)
      set.status = ready ? 200 : 503
      return { status: ready ? 'ready' : 'not_ready', checks }
    })
}
