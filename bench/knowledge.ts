// bench:knowledge: per-turn retrieval latency over the demo knowledge base, with realistic queries: every
// customer line of the 69 retail dialogues and the labelled help questions, plus hostile ones (100 kB, NUL bytes,
// tsquery syntax). Sequential calls (one turn's retrieval), then 16 concurrent callers, then the same over a
// knowledge base 50 times larger. Baseline in the same run: `select 1` on the same pool, the floor of any query.
// Usage: bun bench/knowledge.ts [passes] [scale]
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEMO_KNOWLEDGE_BASE, ensureDemoKnowledge, writeArticle } from '../knowledge/index.ts'
import { createRedisClient, createStorage, type Knowledge, type Sql } from '../storage/index.ts'
import { RETAIL_QUESTIONS } from '../test/knowledge/retail-questions.ts'
import { createBenchEnv, percentile, progress, redisUrl, round } from './support.ts'

const PASSES = Number(process.argv[2] ?? 3)
const SCALE = Number(process.argv[3] ?? 50)
const CONCURRENCY = 16

function realisticQueries(): string[] {
  const lines = readFileSync(join(import.meta.dir, '..', 'data', 'retail', 'dialogues.jsonl'), 'utf8').trim().split('\n')
  const customer = lines.flatMap((l) => (JSON.parse(l).messages_display as string).split('\n'))
    .filter((m) => m.startsWith('user: ')).map((m) => m.slice(6))
  const hostile = ['x'.repeat(100_000), 'refund\u0000card\u0000', "'&|!:*()<->\\ refund", '💳🔥', 'the a an of']
  return [...customer, ...RETAIL_QUESTIONS.map(([q]) => q), ...hostile]
}

interface Latency { p50: number; p99: number; max: number }
const summary = (times: number[]): Latency => {
  const sorted = times.sort((a, b) => a - b)
  return { p50: round(percentile(sorted, 50), 3), p99: round(percentile(sorted, 99), 3), max: round(sorted[sorted.length - 1]!, 3) }
}

async function sequential(run: (q: string) => Promise<unknown>, queries: string[], passes: number): Promise<number[]> {
  const times: number[] = []
  for (let pass = 0; pass < passes; pass++) {
    for (const q of queries) {
      const started = performance.now()
      await run(q)
      times.push(performance.now() - started)
    }
  }
  return times
}

async function concurrent(run: (q: string) => Promise<unknown>, queries: string[]): Promise<{ qps: number; times: number[] }> {
  const queue = [...queries, ...queries]
  const times: number[] = []
  const started = performance.now()
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (let q = queue.shift(); q !== undefined; q = queue.shift()) {
      const t = performance.now()
      await run(q)
      times.push(performance.now() - t)
    }
  }))
  return { qps: round(times.length / ((performance.now() - started) / 1000)), times }
}

/** A knowledge base of `scale` copies of the demo articles, each copy its own article. */
async function scaledKnowledgeBase(knowledge: Knowledge, sql: Sql, scale: number): Promise<number> {
  const kb = (await knowledge.bases.create('demo', { name: 'scaled' }))!
  const sources = await sql<{ key: string; format: 'markdown' | 'html'; content: string }[]>`select a.key, v.format, v.content
    from knowledge_articles a join knowledge_article_versions v on v.article_id = a.id and v.version = a.version where a.deleted_at is null`
  for (let copy = 0; copy < scale; copy++) {
    for (const s of sources) {
      await writeArticle(knowledge.articles, { kbId: kb.id, source: 'upload' }, { format: s.format, content: `${s.content}\n\nCopy ${copy}.`, key: `${copy}/${s.key}` },
        { mode: 'upsert' })
    }
  }
  return (await knowledge.bases.get('demo', 'scaled'))!.passages
}

async function main(): Promise<void> {
  const env = await createBenchEnv('knowledge')
  const redis = createRedisClient(redisUrl(), 'bench-knowledge')
  const { knowledge } = createStorage(env.sql, redis, env.prefix)
  await env.sql`insert into tenants (id, name) values ('demo', 'Demo')`
  await ensureDemoKnowledge(knowledge, 'demo')
  const demo = (await knowledge.bases.get('demo', DEMO_KNOWLEDGE_BASE))!
  const queries = realisticQueries()
  const retrieve = (kb: string) => (query: string) => knowledge.retrieve({ tenantId: 'demo', knowledgeBase: kb, query, limit: 5 })
  const select1 = () => env.sql`select 1`

  progress(`demo knowledge base: ${demo.articles} articles, ${demo.passages} passages; ${queries.length} queries x ${PASSES} passes`)
  await sequential(retrieve(DEMO_KNOWLEDGE_BASE), queries, 1)
  const hits = (await Promise.all(queries.map(async (q) => (await retrieve(DEMO_KNOWLEDGE_BASE)(q)).length > 0))).filter(Boolean).length
  const baseline = summary(await sequential(select1, queries, PASSES))
  const seq = summary(await sequential(retrieve(DEMO_KNOWLEDGE_BASE), queries, PASSES))
  progress(`sequential: p50 ${seq.p50} ms, p99 ${seq.p99} ms, max ${seq.max} ms (select 1: p50 ${baseline.p50}, p99 ${baseline.p99})`)
  const loaded = await concurrent(retrieve(DEMO_KNOWLEDGE_BASE), queries)
  const loadedLatency = summary(loaded.times)
  progress(`${CONCURRENCY} concurrent: ${loaded.qps} queries/s, p50 ${loadedLatency.p50} ms, p99 ${loadedLatency.p99} ms`)

  progress(`building a knowledge base ${SCALE} times larger…`)
  const scaledPassages = await scaledKnowledgeBase(knowledge, env.sql, SCALE)
  await sequential(retrieve('scaled'), queries, 1)
  const scaled = summary(await sequential(retrieve('scaled'), queries, 1))
  progress(`scaled (${scaledPassages} passages): p50 ${scaled.p50} ms, p99 ${scaled.p99} ms`)

  redis.disconnect()
  await env.cleanup()
  console.log(JSON.stringify({
    bench: 'knowledge', passages: demo.passages, queries: queries.length * PASSES, hit_rate: round(hits / queries.length, 3),
    p50_ms: seq.p50, p99_ms: seq.p99, max_ms: seq.max, baseline_select1_p50_ms: baseline.p50, baseline_select1_p99_ms: baseline.p99,
    concurrent_qps: loaded.qps, concurrent_p50_ms: loadedLatency.p50, concurrent_p99_ms: loadedLatency.p99,
    scaled_passages: scaledPassages, scaled_p50_ms: scaled.p50, scaled_p99_ms: scaled.p99,
  }))
}

await main()
