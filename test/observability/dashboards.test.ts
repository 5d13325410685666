// The Grafana dashboards and the KEDA trigger query only metrics that the registry really exports.
import { describe, expect, test } from 'bun:test'
import { Glob } from 'bun'
import { join } from 'node:path'
import { createMetrics } from '../../lib/metrics.ts'

const K8S = join(import.meta.dir, '..', '..', 'k8s')
const exported = new Set((await createMetrics().registry.getMetricsAsJSON()).map((m) => m.name))

/** Metric names in a PromQL text, with histogram suffixes folded onto their histogram. */
const metricNames = (promql: string) =>
  [...promql.matchAll(/switchboard_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, ''))

describe('dashboards', () => {
  test('three dashboards, each panel querying exported metrics', async () => {
    const files = await Array.fromAsync(new Glob('grafana/*.json').scan({ cwd: K8S }))
    expect(files.sort()).toEqual(['grafana/guardrails-and-escalations.json', 'grafana/providers-and-cost.json', 'grafana/runtime-health.json'])
    for (const file of files) {
      const dashboard = await Bun.file(join(K8S, file)).json()
      for (const panel of dashboard.panels) {
        for (const target of panel.targets) {
          const names = metricNames(target.expr)
          expect(names.length).toBeGreaterThan(0)
          for (const name of names) expect(exported).toContain(name)
        }
      }
    }
  })

  test('the KEDA trigger scales on the mailbox backlog', async () => {
    const text = await Bun.file(join(K8S, 'keda', 'worker-scaledobject.yaml')).text()
    const query = text.slice(text.indexOf('query:'), text.indexOf('threshold:'))
    expect(metricNames(query)).toEqual(['switchboard_mailbox_backlog', 'switchboard_pending_activations'])
    for (const name of metricNames(query)) expect(exported).toContain(name)
  })
})
