// GET /metrics: this process's Prometheus registry, rendered by lib/metrics.ts. Outside /v1, so no API key:
// like /healthz it is for the cluster (Prometheus, KEDA), and it carries only bounded aggregate labels.
import { Elysia } from 'elysia'

export type RenderMetrics = () => Promise<{ contentType: string; body: string }>

export function metricsRoutes(render: RenderMetrics) {
  return new Elysia({ name: 'metrics' }).get('/metrics', async ({ set }) => {
    const { contentType, body } = await render()
    set.headers['content-type'] = contentType
    return body
  }, { detail: { summary: 'Prometheus metrics of this process', tags: ['operations'] } })
}
