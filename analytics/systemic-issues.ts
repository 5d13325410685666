// Systemic-issue alerts: counts recent conversations per cluster over sliding windows, detects spikes against each
// cluster's own baseline (kpis/), and alerts once per issue: the alert is stored for the console and sent to a
// webhook as an Alertmanager-compatible list (POST /api/v2/alerts), then resolved (with `endsAt`) when the spike ends.
import { clusterKey, DEFAULT_SPIKE_OPTIONS, detectSpikes, reconcileAlerts, type ClusterCounts, type SpikeOptions } from '../kpis/index.ts'
import type { Clock } from '../lib/clock.ts'
import type { Logger } from '../lib/log.ts'
import type { Storage, SystemicAlert } from '../storage/index.ts'

/** Words customers use when a product or a process fails them. */
export const COMPLAINT_TERMS = ['broken', 'damaged', 'charged twice', 'double charged', 'not working', 'doesn\'t work', 'missing', 'wrong item', 'never arrived', 'error']

export interface SystemicIssueDeps {
  storage: Pick<Storage, 'systemicAlerts'>
  log: Logger
  /** Where alerts are POSTed (an Alertmanager's `/api/v2/alerts`, or any webhook); none: stored only. */
  webhookUrl?: string
  /** @defaultValue 3600000 (an hour) */
  windowMs?: number
  /** Windows before the latest one that make the baseline. @defaultValue 24 */
  baselineWindows?: number
  terms?: string[]
  options?: SpikeOptions
  /** The console's address, for the alert's link back. */
  consoleUrl?: string
}

function clustersOf(rows: Awaited<ReturnType<Storage['systemicAlerts']['clusterCounts']>>, baselineWindows: number): ClusterCounts[] {
  const by = new Map<string, ClusterCounts>()
  for (const r of rows) {
    const key = clusterKey(r)
    const c = by.get(key) ?? { kind: r.kind, value: r.value, current: 0, baseline: new Array<number>(baselineWindows).fill(0), examples: [] }
    if (r.window === 0) { c.current = r.n; c.examples = r.examples } else if (r.window <= baselineWindows) c.baseline[r.window - 1] = r.n
    by.set(key, c)
  }
  return [...by.values()]
}

/** The Alertmanager v2 shape of one alert. */
function alertmanagerAlert(tenantId: string, a: SystemicAlert, consoleUrl?: string) {
  return {
    labels: { alertname: 'SwitchboardSystemicIssue', tenant: tenantId, kind: a.kind, cluster: a.value, severity: 'warning' },
    annotations: {
      summary: `${a.kind.replace('_', ' ')} "${a.value}": ${a.count} in the last window, baseline ${a.baseline.toFixed(1)}`,
      examples: a.examples.join(', '),
    },
    startsAt: a.startedAt.toISOString(),
    ...(a.resolvedAt ? { endsAt: a.resolvedAt.toISOString() } : {}),
    ...(consoleUrl ? { generatorURL: `${consoleUrl}/console` } : {}),
  }
}

async function notify(deps: SystemicIssueDeps, tenantId: string, alerts: SystemicAlert[]): Promise<void> {
  if (!deps.webhookUrl || alerts.length === 0) return
  try {
    const res = await fetch(deps.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts.map((a) => alertmanagerAlert(tenantId, a, deps.consoleUrl))), signal: AbortSignal.timeout(10_000) })
    if (!res.ok) deps.log.warn('alert webhook refused', { status: res.status })
  } catch (error) {
    // the alert stays in the console; Alertmanager re-sends nothing itself, the next change is sent afresh
    deps.log.warn('alert webhook unreachable', { error: String(error) })
  }
}

/** One evaluation for a tenant at `now`: opens, refreshes and resolves alerts; returns the keys opened and resolved. */
export async function evaluateSystemicIssues(deps: SystemicIssueDeps, tenantId: string, now: number): Promise<{ opened: string[]; resolved: string[] }> {
  const baselineWindows = deps.baselineWindows ?? 24
  const rows = await deps.storage.systemicAlerts.clusterCounts(tenantId, new Date(now), deps.windowMs ?? 3_600_000, baselineWindows + 1,
    deps.terms ?? COMPLAINT_TERMS)
  const spikes = detectSpikes(clustersOf(rows, baselineWindows), deps.options ?? DEFAULT_SPIKE_OPTIONS)
  const firing = await deps.storage.systemicAlerts.firing(tenantId)
  const changes = reconcileAlerts(new Set(firing.map((a) => a.key)), spikes)
  const sent: SystemicAlert[] = []
  for (const s of changes.open) {
    const a = await deps.storage.systemicAlerts.open(tenantId, { key: s.key, kind: s.kind, value: s.value, count: s.current,
      baseline: s.baselineMean, examples: s.examples, at: new Date(now) })
    if (a) sent.push(a)
  }
  for (const s of changes.ongoing) await deps.storage.systemicAlerts.refresh(tenantId, s.key, s.current, s.examples)
  for (const key of changes.resolve) {
    const a = await deps.storage.systemicAlerts.resolve(tenantId, key, new Date(now))
    if (a) sent.push(a)
  }
  await notify(deps, tenantId, sent)
  return { opened: sent.filter((a) => a.status === 'firing').map((a) => a.key), resolved: sent.filter((a) => a.status === 'resolved').map((a) => a.key) }
}

/** Every `intervalMs`, evaluates every tenant. */
export function startSystemicIssuesTimer(deps: SystemicIssueDeps & { clock: Clock; intervalMs: number; tenants: Pick<Storage['tenants'], 'list'> }): { close(): Promise<void> } {
  let running: Promise<void> | undefined
  const tick = async () => {
    for (const t of await deps.tenants.list()) await evaluateSystemicIssues(deps, t.id, deps.clock.now())
  }
  const timer = deps.intervalMs > 0 ? setInterval(() => {
    running ??= tick().catch((error) => deps.log.warn('systemic issue check failed', { error: String(error) })).finally(() => { running = undefined })
  }, deps.intervalMs) : undefined
  return { async close() { clearInterval(timer); await running } }
}
