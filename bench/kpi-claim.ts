// What a KPI sweep batch costs at a backlog of marks: 20,000 marked conversations (and 2,000 marks left by deleted
// conversations) beside 30,000 judged ones. Measures a tenant's KPI read with 10 pending conversations while the
// backlog waits (its claim is most of it; the first read also folds the backlog's logged changes into marks, as a
// sweep does, and prints apart), the first 20 batches of the background sweep over the backlog, and then a
// sweep while every mark left is younger than the settle delay (only the claim: nothing is judged).
// `bun bench/kpi-claim.ts [marks]`; the last stdout line is the JSON result.
import { DEFAULT_KPI_SETTINGS, judgeOutcomeRow } from '../kpis/index.ts'
import { createKpiOutcomes } from '../storage/index.ts'
import { createBenchEnv, percentile, progress, round } from './support.ts'

const MARKS = Number(process.argv[2] ?? 20_000)
const JUDGED = 30_000
const DELETED = 2_000
const RUNS = 7
const NOW = Date.now()
const H = 3_600_000
const judge = (f: Parameters<typeof judgeOutcomeRow>[0]) => judgeOutcomeRow(f, NOW, DEFAULT_KPI_SETTINGS)

const env = await createBenchEnv('kpiclaim')
const { sql } = env
const outcomes = createKpiOutcomes(sql)

async function conversations(prefix: string, tenant: string, n: number): Promise<void> {
  await sql`insert into conversations (id, tenant_id, agent, customer_id, status, created_at, closed_at)
    select ${prefix} || g, ${tenant}, 'bot', ${prefix} || 'c' || g, 'closed', ${new Date(NOW - 5 * H)}, ${new Date(NOW - 4 * H)} from generate_series(1, ${n}) g`
  await sql`insert into messages (id, conversation_id, role, text, created_at)
    select ${prefix} || g || '.q', ${prefix} || g, 'customer', 'hello', ${new Date(NOW - 5 * H)} from generate_series(1, ${n}) g`
}

progress('seeding')
await conversations('judged', 'tj', JUDGED)
await outcomes.sweep(new Date(NOW), judge)
await conversations('gone', 'tg', DELETED)
await sql`delete from conversations where tenant_id = 'tg'`
await conversations('marked', 'tm', MARKS)
await sql`vacuum analyze`
const [row] = await sql<{ settles: boolean }[]>`select exists (select 1 from information_schema.columns
  where table_schema = current_schema() and table_name = 'kpi_dirty' and column_name = 'marked_at') as settles`
const settles = row!.settles
const time = async (f: () => Promise<unknown>) => { const t0 = performance.now(); await f(); return performance.now() - t0 }
const median = (xs: number[]) => round(percentile([...xs].sort((a, b) => a - b), 50))

progress('tenant reads')
const reads: number[] = []
for (let i = 0; i < RUNS; i++) {
  await conversations(`read${i}-`, `tr${i}`, 10)
  reads.push(await time(() => outcomes.sweep(new Date(NOW), judge, { tenantId: `tr${i}` })))
}

progress('background batches')
const batches: number[] = []
let last = performance.now()
await outcomes.sweep(new Date(NOW), judge, {
  batchSize: 200,
  between: async () => { const t = performance.now(); batches.push(t - last); last = t; return batches.length < 20 },
})
const idle: number[] = []
if (settles) {
  progress('sweeps with every mark left younger than the settle delay')
  for (let i = 0; i < RUNS; i++) idle.push(await time(() => outcomes.sweep(new Date(NOW), judge, { settleMs: H })))
}

await env.cleanup()
console.log(JSON.stringify({
  marks: MARKS, deletedMarks: DELETED, judged: JUDGED, settles,
  firstTenantReadMs: round(reads[0]!), tenantReadMs: median(reads), sweepBatchOf200Ms: median(batches), firstBatchMs: round(batches[0]!), unsettledSweepMs: idle.length ? median(idle) : null,
}))
