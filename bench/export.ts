// The warehouse export to a ClickHouse server of its own on loopback: a backfill of 100,000 turns from Postgres
// (rows/s, beside the same rows inserted straight into ClickHouse in the same run: the sink's own ceiling), then
// live export lag (from a turn's commit to ClickHouse acknowledging it) while turns keep arriving at a steady rate,
// then the KPI read for one agent over 30 days of 100,000 conversations (beside a bare count of them): first the
// sweep judging all of them into their outcome rows (what workers do as conversations change), then the read the
// API and the promotion gate make (it judges what changed since, here nothing, and sums the rows).
// `bun bench/export.ts [turns] [conversations]`; the last stdout line is the JSON result.
import { agentKpis } from '../api/routes/kpis.ts'
import { DEFAULT_KPI_SETTINGS, judgeOutcomeRow } from '../kpis/index.ts'
import { createExportSource, createKpiOutcomes, type ExportRow } from '../storage/index.ts'
import { ownClickHouse } from '../test/support/clickhouse.ts'
import { seedTurns } from '../test/support/export-fixtures.ts'
import { seedKpiMonth } from '../test/support/kpi-bulk.ts'
import { createClickHouseSink, createExporter } from '../warehouse/index.ts'
import { createBenchEnv, percentile, progress, round } from './support.ts'

const TURNS = Number(process.argv[2] ?? 100_000)
const CONVERSATIONS = Number(process.argv[3] ?? 100_000)
const BATCH = 5000
const SETTLE_MS = 500
const LIVE_RATE = 5000
const LIVE_S = 6

const ch = ownClickHouse()
await ch.start()
const env = await createBenchEnv('export')
const source = createExportSource(env.sql)

async function baseline(): Promise<number> {
  const rows = (await source.page('turns', null, TURNS, 0)).rows
  const sink = createClickHouseSink({ url: ch.url, database: 'baseline' })
  await sink.prepare()
  const t0 = performance.now()
  for (let i = 0; i < rows.length; i += BATCH) await sink.write('turns', rows.slice(i, i + BATCH), `b${i}`)
  const s = (performance.now() - t0) / 1000
  await sink.close()
  return rows.length / s
}

async function backfill(): Promise<{ rowsPerS: number; fractions: number[] }> {
  const sink = createClickHouseSink({ url: ch.url, database: 'backfill' })
  const fractions: number[] = []
  const ex = createExporter({ source, sink, streams: ['turns'], batchSize: BATCH, settleMs: 0,
    onBatch: () => fractions.push(ex.progress().turns!.fraction ?? NaN) })
  await ex.prepare()
  await ex.measure()
  const t0 = performance.now()
  await ex.drain()
  const s = (performance.now() - t0) / 1000
  const landed = Number(await ch.query('select count() from backfill.turns final'))
  if (landed !== TURNS) throw new Error(`backfill landed ${landed} of ${TURNS}`)
  await sink.close()
  return { rowsPerS: TURNS / s, fractions }
}

/** Turns arrive at LIVE_RATE a second while an exporter (settling SETTLE_MS) runs; lag = acknowledged − committed. */
async function live(): Promise<number[]> {
  const sink = createClickHouseSink({ url: ch.url, database: 'backfill' })
  const lags: number[] = []
  const committed = new Map<string, number>()
  const ex = createExporter({ source, sink, streams: ['turns'], batchSize: BATCH, settleMs: SETTLE_MS, idleMs: 50,
    onBatch: (_s, rows: readonly ExportRow[], at) => { for (const r of rows) { const c = committed.get(String(r.id)); if (c) lags.push(at - c) } } })
  const stop = new AbortController()
  const running = ex.run(stop.signal)
  const chunk = LIVE_RATE / 20
  for (let i = 0; i < LIVE_S * 20; i++) {
    const start = 1_000_000 + i * chunk
    const t = performance.now()
    await seedTurns(env.sql, chunk, { start, agoS: 0 })
    const at = Date.now()
    for (let g = start; g < start + chunk; g++) committed.set(`m${g}`, at)
    await Bun.sleep(Math.max(0, 50 - (performance.now() - t)))
  }
  const expected = LIVE_S * LIVE_RATE
  const deadline = Date.now() + 30_000
  while (lags.length < expected && Date.now() < deadline) await Bun.sleep(50)
  stop.abort()
  await running
  await sink.close()
  return lags.sort((a, b) => a - b)
}

async function kpiQuery(): Promise<{ p50: number; baselineP50: number; sweepS: number }> {
  await seedKpiMonth(env.sql, CONVERSATIONS, 'tk', 'bench-bot')
  const storage = { kpiOutcomes: createKpiOutcomes(env.sql) }
  const swept = performance.now()
  const start = Date.now()
  const judged = await storage.kpiOutcomes.sweep(new Date(start), (f) => judgeOutcomeRow(f, start, DEFAULT_KPI_SETTINGS))
  const sweepS = (performance.now() - swept) / 1000
  if (judged < CONVERSATIONS) throw new Error(`the sweep judged ${judged} of ${CONVERSATIONS}`)
  await env.sql`analyze conversation_outcomes`
  const times: number[] = []
  const counts: number[] = []
  for (let i = 0; i < 7; i++) {
    const now = Date.now()
    const window = { from: new Date(now - 30 * 86_400_000), to: new Date(now) }
    let t = performance.now()
    const k = await agentKpis(storage, 'tk', 'bench-bot', window, now)
    times.push(performance.now() - t)
    if (k.conversations < CONVERSATIONS * 0.99) throw new Error(`KPIs over ${k.conversations} conversations`)
    t = performance.now()
    await env.sql`select count(*) from conversations where tenant_id = 'tk' and agent = 'bench-bot' and created_at >= ${window.from}`
    counts.push(performance.now() - t)
  }
  return { p50: percentile(times.sort((a, b) => a - b), 50), baselineP50: percentile(counts.sort((a, b) => a - b), 50), sweepS }
}

try {
  progress(`seeding ${TURNS} turns`)
  await seedTurns(env.sql, TURNS)
  const ceiling = await baseline()
  progress(`ClickHouse straight insert: ${Math.round(ceiling)} rows/s`)
  const fill = await backfill()
  progress(`backfill: ${Math.round(fill.rowsPerS)} rows/s; progress seen ${fill.fractions.slice(0, 3).map((f) => f.toFixed(2)).join(', ')} … ${fill.fractions.at(-1)?.toFixed(2)}`)
  const lags = await live()
  progress(`live: ${lags.length} turns, lag p50 ${percentile(lags, 50)} ms, p99 ${percentile(lags, 99)} ms (settle ${SETTLE_MS} ms)`)
  progress(`seeding ${CONVERSATIONS} conversations over 30 days`)
  const kpi = await kpiQuery()
  progress(`KPI sweep: ${CONVERSATIONS} conversations judged in ${round(kpi.sweepS, 1)} s (${Math.round(CONVERSATIONS / kpi.sweepS)}/s)`)
  progress(`KPI read for one agent: p50 ${round(kpi.p50, 1)} ms (a bare count of the same conversations: ${round(kpi.baselineP50, 1)} ms)`)
  console.log(JSON.stringify({
    bench: 'export', rows_per_s: Math.round(fill.rowsPerS), lag_p99_ms: percentile(lags, 99),
    baseline_clickhouse_insert_rows_per_s: Math.round(ceiling), lag_p50_ms: percentile(lags, 50), settle_ms: SETTLE_MS, live_rate_per_s: LIVE_RATE,
    kpi_query_ms_p50: round(kpi.p50, 1), kpi_baseline_count_ms_p50: round(kpi.baselineP50, 1), kpi_sweep_per_s: Math.round(CONVERSATIONS / kpi.sweepS), conversations: CONVERSATIONS, turns: TURNS,
  }))
} finally {
  await ch.destroy()
  await env.cleanup()
}
