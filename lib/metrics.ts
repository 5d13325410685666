// Prometheus metrics, the only importer of prom-client: one Registry per platform (so per process, and per
// test), the runtime observer the actors report through, gauges sampled at scrape time, and the worker's
// /metrics server. Labels are bounded (outcome, pool, provider, model, check, reason); never an id.
import { Counter, Gauge, Histogram, Registry } from 'prom-client'

/** What the actor host reports at scrape time. */
export interface HostStats {
  activeActors: number
  /** Mail waiting (not yet being handled) in the mailboxes of this process's active actors. */
  mailboxBacklog: number
  /** Conversations with mail waiting for some worker to activate them (queue-wide: backpressure). */
  pendingActivations: number
}

export interface PoolJobCounts {
  pool: string
  /** Set on one provider (vendor) queue's own count; the `provider` pool's entry without it sums them. */
  provider?: string
  waiting: number
  active: number
}

/** One tenant-wide budget; per-conversation and per-customer budgets have no series (their ids are no labels). */
export interface BudgetRemaining {
  /** `tenantDay` or `tenantMonth`: a closed set. */
  scope: string
  tenant: string
  remainingUsd: number
}

/** Handoffs waiting for a person (`open`) or with one (`taken`), across the deployment. */
export interface HandoffCount {
  status: string
  count: number
}

/** The controller role: whether this replica holds the Lease, and its custom resources by kind. */
export interface ControllerStats {
  leader: boolean
  resources: Array<{ kind: string; accepted: number; refused: number }>
}

/** Systemic-issue alerts firing, by cluster kind (intent, tool_error, complaint). */
export interface AlertCount {
  kind: string
  firing: number
}

/** A warehouse sink's checkpoint of one export stream: rows it acknowledged and rows it refused. */
export interface ExportCount {
  sink: string
  stream: string
  exported: number
  deadLettered: number
}

/** Scrape-time sources; each is optional (the API role has no host, budgets exist only under a routing policy). */
export interface MetricSources {
  host?: () => Promise<HostStats>
  pools?: () => Promise<PoolJobCounts[]>
  budgets?: () => Promise<BudgetRemaining[]>
  handoffs?: () => Promise<HandoffCount[]>
  controller?: () => ControllerStats
  alerts?: () => Promise<AlertCount[]>
  exports?: () => Promise<ExportCount[]>
}

export interface Exposition {
  contentType: string
  body: string
}

export interface Metrics {
  registry: Registry
  /** Structurally the actors' `RuntimeObserver`; every method swallows its own errors. */
  observer: ReturnType<typeof createObserver>
  /** Adds or replaces scrape-time sources (the worker role adds its host once it exists). */
  track(sources: MetricSources): void
  render(): Promise<Exposition>
}

/** Mirrors the actors' `ModelCallReport`: lib/ imports nothing, so the shape is repeated, not imported. */
interface ModelCall {
  provider: string
  model: string
  inputTokens: number
  outputTokens: number
  cachedTokens: number
  costUsd: number
  /** `provider:model` entries that failed before the one that answered. */
  failedBefore: string[]
}

const TURN_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120]

function safe<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      fn(...args)
    } catch {
      // Metrics never fail a turn.
    }
  }
}

function createObserver(registers: Registry[]) {
  const counter = (name: string, help: string, labelNames: string[]) => new Counter({ name, help, labelNames, registers })
  const turns = counter('switchboard_turns_total', 'Customer turns finished, by outcome', ['outcome'])
  const latency = new Histogram({
    name: 'switchboard_turn_duration_seconds', help: 'From message sent to reply published', labelNames: ['outcome'], buckets: TURN_BUCKETS, registers,
  })
  const requests = counter('switchboard_provider_requests_total', 'Model calls that answered', ['provider', 'model'])
  const tokens = counter('switchboard_provider_tokens_total', 'Tokens by direction', ['provider', 'model', 'direction'])
  const cost = counter('switchboard_provider_cost_usd_total', 'Model spend in USD', ['provider', 'model'])
  const errors = counter('switchboard_provider_errors_total', 'Model calls that failed', ['provider', 'model', 'code'])
  const verdicts = counter('switchboard_guardrail_verdicts_total', 'Guardrail decisions', ['stage', 'check', 'verdict'])
  const escalations = counter('switchboard_escalations_total', 'Handoffs to humans, by reason', ['reason'])
  const breaches = counter('switchboard_sla_breaches_total', 'Handoff SLA targets missed, once per breach', ['kind'])
  const outreachDecisions = counter('switchboard_outreach_decisions_total', 'Campaign customers decided: send, deferred (quiet hours), skipped by reason, would_send (dry run)', ['outcome', 'reason'])
  const outreachSent = counter('switchboard_outreach_sent_total', 'Proactive messages delivered into conversations, by channel', ['channel'])
  const outreachOptOuts = counter('switchboard_outreach_opt_outs_total', 'Customers who replied "stop" to a proactive message, by channel', ['channel'])
  return {
    turnFinished: safe((outcome: string, seconds: number) => {
      turns.inc({ outcome })
      latency.observe({ outcome }, seconds)
    }),
    modelCall: safe((c: ModelCall) => {
      const labels = { provider: c.provider, model: c.model }
      requests.inc(labels)
      tokens.inc({ ...labels, direction: 'input' }, c.inputTokens)
      tokens.inc({ ...labels, direction: 'output' }, c.outputTokens)
      if (c.cachedTokens > 0) tokens.inc({ ...labels, direction: 'cached' }, c.cachedTokens)
      if (c.costUsd > 0) cost.inc(labels, c.costUsd)
      for (const tried of c.failedBefore) {
        const [provider = tried, model = 'unknown'] = tried.split(':')
        errors.inc({ provider, model, code: 'fallback' })
      }
    }),
    // The gateway failed as a whole: which model failed last is not known here.
    modelFailed: safe((code: string) => errors.inc({ provider: 'unknown', model: 'unknown', code })),
    guardrailVerdict: safe((stage: string, check: string, verdict: string) => verdicts.inc({ stage, check, verdict })),
    escalation: safe((reason: string) => escalations.inc({ reason })),
    /** `kind`: first_response or resolution. */
    slaBreached: safe((kind: string) => breaches.inc({ kind })),
    /** `reason`: a skip reason, or `none`. */
    outreachDecided: safe((outcome: string, reason: string, count: number) => outreachDecisions.inc({ outcome, reason }, count)),
    outreachSent: safe((channel: string) => outreachSent.inc({ channel })),
    outreachOptedOut: safe((channel: string) => outreachOptOuts.inc({ channel })),
  }
}

function createGauges(registers: Registry[], sources: MetricSources): void {
  const sampled = (name: string, help: string, labelNames: string[], fill: (g: Gauge) => Promise<void>) =>
    new Gauge({
      name, help, labelNames, registers,
      async collect() {
        this.reset()
        await fill(this).catch(() => {})
      },
    })
  const hostGauge = (name: string, help: string, pick: (s: HostStats) => number) =>
    sampled(name, help, [], async (g) => void (sources.host && g.set(pick(await sources.host()))))
  hostGauge('switchboard_active_actors', 'Conversation actors active on this worker', (s) => s.activeActors)
  hostGauge('switchboard_mailbox_backlog', 'Mail waiting in the mailboxes of this worker\'s active actors', (s) => s.mailboxBacklog)
  hostGauge('switchboard_pending_activations', 'Conversations waiting for a worker to activate them (queue-wide)', (s) => s.pendingActivations)
  sampled('switchboard_pool_jobs', 'Jobs per pool queue and state (queue-wide: aggregate with max)', ['pool', 'state'], async (g) => {
    for (const c of (await sources.pools?.()) ?? []) {
      if (c.provider !== undefined) continue
      g.set({ pool: c.pool, state: 'waiting' }, c.waiting)
      g.set({ pool: c.pool, state: 'active' }, c.active)
    }
  })
  // One series per configured provider (a bounded set): KEDA scales each vendor's Deployment on its own queue.
  sampled('switchboard_provider_queue_jobs', 'Jobs per provider queue and state (queue-wide: aggregate with max)', ['provider', 'state'], async (g) => {
    for (const c of (await sources.pools?.()) ?? []) {
      if (c.provider === undefined) continue
      g.set({ provider: c.provider, state: 'waiting' }, c.waiting)
      g.set({ provider: c.provider, state: 'active' }, c.active)
    }
  })
  sampled('switchboard_handoffs', 'Handoffs waiting for a person (open) or with one (taken) (shared: aggregate with max)', ['status'], async (g) => {
    for (const h of (await sources.handoffs?.()) ?? []) g.set({ status: h.status }, h.count)
  })
  sampled('switchboard_controller_leader', 'Whether this controller replica holds the Lease', [], async (g) => {
    if (sources.controller) g.set(sources.controller().leader ? 1 : 0)
  })
  sampled('switchboard_controller_resources', 'Custom resources by kind, accepted or refused by this controller', ['kind', 'state'], async (g) => {
    for (const r of sources.controller?.().resources ?? []) {
      g.set({ kind: r.kind, state: 'accepted' }, r.accepted)
      g.set({ kind: r.kind, state: 'refused' }, r.refused)
    }
  })
  sampled('switchboard_systemic_alerts_firing', 'Systemic-issue alerts firing, by cluster kind (shared: aggregate with max)', ['kind'], async (g) => {
    for (const a of (await sources.alerts?.()) ?? []) g.set({ kind: a.kind }, a.firing)
  })
  sampled('switchboard_export_rows', 'Rows a warehouse sink acknowledged (exported) or refused (dead_lettered), per stream (shared: aggregate with max)',
    ['sink', 'stream', 'state'], async (g) => {
      for (const e of (await sources.exports?.()) ?? []) {
        g.set({ sink: e.sink, stream: e.stream, state: 'exported' }, e.exported)
        g.set({ sink: e.sink, stream: e.stream, state: 'dead_lettered' }, e.deadLettered)
      }
    })
  // Read from the counters every worker shares, so each worker reports the same value for the tenants it has routed.
  sampled('switchboard_budget_remaining_usd', 'USD left in each tenant-wide budget (shared: aggregate with min)', ['scope', 'tenant'], async (g) => {
    for (const b of (await sources.budgets?.()) ?? []) g.set({ scope: b.scope, tenant: b.tenant }, b.remainingUsd)
  })
}

/**
 * A fresh Registry with every Switchboard metric.
 * @example const metrics = createMetrics(); metrics.track({ pools: () => pools.jobCounts() })
 */
export function createMetrics(sources: MetricSources = {}): Metrics {
  const registry = new Registry()
  const current: MetricSources = { ...sources }
  const observer = createObserver([registry])
  createGauges([registry], current)
  return {
    registry,
    observer,
    track: (more) => void Object.assign(current, more),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  }
}

export interface MetricsServer {
  port: number
  close(): Promise<void>
}

// Below the kubelet's default probe timeout (1 s): a store that hangs is an answer (not ready), not a timeout.
const READY_DEADLINE_MS = 900

function withDeadline(check: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))
  return Promise.race([check.catch(() => false), late]).finally(() => clearTimeout(timer))
}

/** What the kubelet's probes ask of a process that serves no HTTP API. */
export interface Health {
  /** Ready for work: its stores answer. A failure here takes it out of a PodDisruptionBudget's count, never restarts it. */
  ready(): Promise<boolean>
}

/**
 * `GET /metrics` on its own port (0 = any free port), for Prometheus and KEDA, with the probes: `/healthz`
 * answers while the event loop does (liveness), `/readyz` asks `health.ready()` (readiness).
 */
export function serveMetrics(metrics: Pick<Metrics, 'render'>, port: number, hostname = '0.0.0.0', health?: Health): MetricsServer {
  const server = Bun.serve({
    port,
    hostname,
    async fetch(req) {
      const path = new URL(req.url).pathname
      if (path === '/healthz') return new Response('ok')
      if (path === '/readyz') {
        const ready = await withDeadline(health?.ready() ?? Promise.resolve(true), READY_DEADLINE_MS)
        return new Response(ready ? 'ready' : 'not ready', { status: ready ? 200 : 503 })
      }
      if (path !== '/metrics') return new Response('not found', { status: 404 })
      const { contentType, body } = await metrics.render()
      return new Response(body, { headers: { 'content-type': contentType } })
    },
  })
  return { port: server.port ?? port, close: async () => void (await server.stop(true)) }
}
