// Support KPIs: the headline figures over a window with their trend, charts per day (conversations with the resolved
// share, and the resolution rate), and the same figures by conversation type and by maturity level. Resolved means
// confirmed (the customer said so, a positive rating, or no return on the same intent), never just closed.
import { useEffect, useState } from 'preact/hooks'
import { api, ApiError } from './api.ts'

interface Csat { average: number | null; ratings: number; responseRate: number | null }

interface Kpis {
  conversations: number
  resolved: number
  abandoned: number
  reopened: number
  escalated: number
  resolutionRate: number | null
  aiResolutionRate: number | null
  abandonmentRate: number | null
  escalationRate: number | null
  durable: { rate: number | null }
  csat: Csat & { ai: Csat; human: Csat; handedOff: Csat }
  cost: { perConversationUsd: number | null; perResolutionUsd: number | null }
  escalation: { needlessRate: number | null; missedRate: number | null }
  timeToResolve: { p50S: number | null }
  firstResponse: { p50S: number | null }
}

interface KpiPage {
  window: { from: string; to: string; days: number }
  total: Kpis
  series: { period: string; kpis: Kpis }[]
  trend: { resolutionRate: number | null; csat: number | null; costPerConversationUsd: number | null; escalationRate: number | null } | null
  byType: { type: string | null; kpis: Kpis }[]
  byLevel: { level: string | null; kpis: Kpis }[]
}

const pct = (n: number | null) => (n === null ? '–' : `${Math.round(n * 1000) / 10}%`)
const usd = (n: number | null) => (n === null ? '–' : `$${n.toFixed(n < 1 ? 3 : 2)}`)
const secs = (n: number | null) => (n === null ? '–' : n < 120 ? `${Math.round(n)} s` : `${Math.round(n / 60)} min`)
const csat = (c: Csat) => (c.average === null ? '–' : `${c.average.toFixed(2)} (${pct(c.responseRate)} rated)`)
const signed = (n: number | null, format: (n: number) => string) => (n === null ? '' : `${n >= 0 ? '+' : '−'}${format(Math.abs(n))}`)
const day = (iso: string) => iso.slice(5, 10)

const W = 640
const H = 160
const DAY_MS = 86_400_000

type Point = { period: string; kpis: Kpis | null }

/**
 * Every period of the window, days (or Monday-started weeks past two months, as the server buckets them), with the
 * server's figures where the period had conversations: a quiet day is a gap in the chart, not a missing day.
 */
function pointsOf(page: KpiPage): Point[] {
  const stepMs = page.window.days <= 62 ? DAY_MS : 7 * DAY_MS
  const from = new Date(page.window.from)
  const start = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()) - (stepMs > DAY_MS ? ((from.getUTCDay() + 6) % 7) * DAY_MS : 0)
  const known = new Map(page.series.map((s) => [s.period.slice(0, 10), s.kpis]))
  const points: Point[] = []
  for (let t = start; t < Date.parse(page.window.to); t += stepMs) {
    const period = new Date(t).toISOString()
    points.push({ period, kpis: known.get(period.slice(0, 10)) ?? null })
  }
  return points
}

/** Conversations per period as bars, the resolved part of each filled darker. */
function VolumeChart({ series }: { series: Point[] }) {
  const top = Math.max(1, ...series.map((s) => s.kpis?.conversations ?? 0))
  const step = W / Math.max(1, series.length)
  const total = series.reduce((n, s) => n + (s.kpis?.conversations ?? 0), 0)
  return (
    <figure>
      <figcaption>Conversations per period, resolved part darker</figcaption>
      <svg viewBox={`0 0 ${W} ${H + 16}`} role="img" aria-label={`Conversations per period: ${total} over ${series.length} periods`} class="chart">
        {series.map(({ period, kpis }, i) => {
          if (!kpis) return null
          const h = (kpis.conversations / top) * H
          const r = (kpis.resolved / top) * H
          return (
            <g key={period}>
              <title>{`${day(period)}: ${kpis.conversations} conversations, ${kpis.resolved} resolved`}</title>
              <rect class="bar" x={i * step + 1} y={H - h} width={Math.max(1, step - 2)} height={h} />
              <rect class="bar resolved" x={i * step + 1} y={H - r} width={Math.max(1, step - 2)} height={r} />
            </g>
          )
        })}
        {series.length > 0 && <text x={0} y={H + 14} class="axis">{day(series[0]!.period)}</text>}
        {series.length > 1 && <text x={W} y={H + 14} text-anchor="end" class="axis">{day(series.at(-1)!.period)}</text>}
      </svg>
    </figure>
  )
}

/** The resolution rate per period as a line over 0–100%; periods with no verdict yet leave a gap. */
function RateChart({ series }: { series: Point[] }) {
  const step = W / Math.max(1, series.length)
  const rate = (s: Point) => s.kpis?.resolutionRate ?? null
  const points = series.map((s, i) => { const r = rate(s); return r === null ? null : `${i * step + step / 2},${H - r * H}` })
  const runs: string[][] = [[]]
  for (const p of points) p === null ? runs.push([]) : runs.at(-1)!.push(p)
  return (
    <figure>
      <figcaption>Resolution rate per period</figcaption>
      <svg viewBox={`0 0 ${W} ${H + 16}`} role="img" aria-label="Resolution rate per period" class="chart">
        <line class="grid" x1={0} x2={W} y1={H / 2} y2={H / 2} />
        {runs.filter((r) => r.length > 0).map((r) => <polyline class="rate" points={r.join(' ')} />)}
        {series.map((s, i) => { const r = rate(s); return r !== null && (
          <circle class="rate" cx={i * step + step / 2} cy={H - r * H} r={3}><title>{`${day(s.period)}: ${pct(r)}`}</title></circle>
        ) })}
        <text x={0} y={H + 14} class="axis">0–100%, line at 50%</text>
      </svg>
    </figure>
  )
}

function Breakdown({ label, rows }: { label: string; rows: { name: string; kpis: Kpis }[] }) {
  return (
    <table aria-label={label}>
      <thead><tr><th scope="col">{label.replace('By ', '')}</th><th scope="col">Conversations</th><th scope="col">Resolution</th>
        <th scope="col">Abandoned</th><th scope="col">Escalated</th><th scope="col">CSAT</th><th scope="col">Cost / conversation</th></tr></thead>
      <tbody>{rows.map(({ name, kpis }) => (
        <tr key={name}><th scope="row">{name}</th><td>{kpis.conversations}</td><td>{pct(kpis.resolutionRate)}</td><td>{pct(kpis.abandonmentRate)}</td>
          <td>{pct(kpis.escalationRate)}</td><td>{csat(kpis.csat)}</td><td>{usd(kpis.cost.perConversationUsd)}</td></tr>
      ))}</tbody>
    </table>
  )
}

export function KpisView() {
  const [days, setDays] = useState(30)
  const [page, setPage] = useState<KpiPage | null>(null)
  const [error, setError] = useState('')
  useEffect(() => {
    setPage(null)
    api<KpiPage>('GET', `/kpis?days=${days}`).then(setPage, (e) => setError(e instanceof ApiError ? e.message : 'Could not read the KPIs'))
  }, [days])
  const t = page?.total
  return (
    <section class="kpis" aria-labelledby="kpis-title">
      <h1 id="kpis-title">Support KPIs</h1>
      <label for="kpi-days">Window</label>
      <select id="kpi-days" value={days} onChange={(e) => setDays(Number((e.target as HTMLSelectElement).value))}>
        {[7, 30, 90].map((d) => <option value={d}>Last {d} days</option>)}
      </select>
      {error && <p role="alert">{error}</p>}
      {!page && !error && <p role="status">Loading…</p>}
      {page && t && (
        <>
          <table aria-label="Headline figures">
            <tbody>
              <tr><th scope="row">Conversations</th><td>{t.conversations}</td></tr>
              <tr><th scope="row">Resolution rate (confirmed)</th><td>{pct(t.resolutionRate)} {signed(page.trend?.resolutionRate ?? null, pct)}</td></tr>
              <tr><th scope="row">Resolved by the AI alone</th><td>{pct(t.aiResolutionRate)}</td></tr>
              <tr><th scope="row">Abandoned</th><td>{pct(t.abandonmentRate)}</td></tr>
              <tr><th scope="row">Escalated</th><td>{pct(t.escalationRate)} (needless {pct(t.escalation.needlessRate)}, missed {pct(t.escalation.missedRate)})</td></tr>
              <tr><th scope="row">Durable resolutions (7 days)</th><td>{pct(t.durable.rate)}</td></tr>
              <tr><th scope="row">CSAT: AI, human, handed off</th><td>{csat(t.csat.ai)} · {csat(t.csat.human)} · {csat(t.csat.handedOff)}</td></tr>
              <tr><th scope="row">Cost per conversation, per resolution</th><td>{usd(t.cost.perConversationUsd)} · {usd(t.cost.perResolutionUsd)}</td></tr>
              <tr><th scope="row">Time to resolve, first response (p50)</th><td>{secs(t.timeToResolve.p50S)} · {secs(t.firstResponse.p50S)}</td></tr>
            </tbody>
          </table>
          <VolumeChart series={pointsOf(page)} />
          <RateChart series={pointsOf(page)} />
          <h2>By conversation type</h2>
          <Breakdown label="By type" rows={page.byType.map((g) => ({ name: g.type ?? 'unclassified', kpis: g.kpis }))} />
          <h2>By maturity level</h2>
          <Breakdown label="By level" rows={page.byLevel.map((g) => ({ name: g.level ?? 'unknown', kpis: g.kpis }))} />
        </>
      )}
    </section>
  )
}
