// The re-index job against a loopback site: it fetches the URL list into articles, drops URL articles no
// longer listed, re-chunks the others, shows done/total while it runs, retries a transient failure from the
// item's own attempt count, records terminal failures and goes on, and resumes after an interruption without
// fetching again what it already has.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createReindexRunner, writeArticle, type ReindexOptions } from '../../knowledge/index.ts'
import { createLogger } from '../../lib/log.ts'
import { createStorage, type Knowledge, type KnowledgeBase } from '../../storage/index.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { waitFor } from '../support/wait.ts'

let db: TestDatabase
let redis: TestRedis
let knowledge: Knowledge
let server: ReturnType<typeof Bun.serve>
let base: string
const hits = new Map<string, number>()
const gates = new Map<string, { open: Promise<void>; release: () => void }>()

function gate(path: string): () => void {
  let release = () => {}
  const open = new Promise<void>((resolve) => (release = resolve))
  gates.set(path, { open, release })
  return release
}

beforeAll(async () => {
  db = await createTestDatabase()
  redis = await createTestRedis()
  knowledge = createStorage(db.sql, redis.client, redis.prefix).knowledge
  await db.sql`insert into tenants (id, name) values ('acme', 'Acme')`
  server = Bun.serve({
    port: 0, hostname: '127.0.0.1',
    async fetch(req) {
      const path = new URL(req.url).pathname
      const n = (hits.get(path) ?? 0) + 1
      hits.set(path, n)
      await gates.get(path)?.open
      if (path === '/flaky' && n === 1) return new Response('later', { status: 503 })
      if (path === '/down') return new Response('down', { status: 502 })
      if (path === '/missing') return new Response('no', { status: 404 })
      const topic = path.slice(1).replace(/\W/g, ' ')
      return new Response(`<h1>${topic}</h1><h2>Policy</h2><p>The ${topic} policy text.</p>`, { headers: { 'content-type': 'text/html' } })
    },
  })
  base = `http://127.0.0.1:${server.port}`
})
afterAll(async () => {
  server.stop(true)
  await db.drop()
  await redis.cleanup()
})

const log = createLogger({ test: 'reindex' })
const options = (o: Partial<ReindexOptions> = {}): ReindexOptions => ({
  fetch: { timeoutMs: 5000, maxBytes: 100_000, allowPrivate: true }, retryDelayMs: 20, ...o,
})
const run = (jobId: string, o: Partial<ReindexOptions> = {}, signal = new AbortController().signal) =>
  createReindexRunner({ knowledge, log }, options(o)).run(jobId, { final: false, signal })

async function newKb(name: string, paths: string[]): Promise<KnowledgeBase> {
  await knowledge.bases.create('acme', { name })
  return (await knowledge.bases.setUrls('acme', name, paths.map((p) => `${base}${p}`)))!
}

test('a re-index fetches the list, drops delisted URL articles, re-chunks the rest, and records failures', async () => {
  const kb = await newKb('site', ['/returns', '/refunds', '/dropped'])
  const upload = await writeArticle(knowledge.articles, { kbId: kb.id, source: 'upload' }, { format: 'markdown', content: '# Faq\n\nUploaded text.' }, { mode: 'create' })
  expect((await run((await knowledge.jobs.create('acme', 'site'))!.job.id))).toBe('finished')
  expect((await knowledge.retrieve({ tenantId: 'acme', knowledgeBase: 'site', query: 'dropped policy' })).map((p) => p.title)).toContain('dropped')

  await knowledge.bases.setUrls('acme', 'site', [`${base}/returns`, `${base}/refunds`, `${base}/missing`, `${base}/flaky`, `${base}/down`])
  const { job, created } = (await knowledge.jobs.create('acme', 'site'))!
  expect([created, job.status, job.total, job.done]).toEqual([true, 'queued', 7, 0])
  expect(await run(job.id, { itemAttempts: 2 })).toBe('finished')

  const finished = (await knowledge.jobs.get('acme', 'site', job.id))!
  expect([finished.status, finished.total, finished.done, finished.failed, finished.pending]).toEqual(['completed', 7, 5, 2, 0])
  expect(await knowledge.jobs.failures(job.id, 10)).toEqual([
    { seq: 3, kind: 'fetch', ref: `${base}/missing`, attempts: 1, code: 'knowledge.fetch_failed', message: `127.0.0.1:${server.port}/missing answered 404` },
    { seq: 5, kind: 'fetch', ref: `${base}/down`, attempts: 2, code: 'knowledge.fetch_failed', message: `127.0.0.1:${server.port}/down answered 502` },
  ])
  const outcomes = await db.sql`select kind, outcome from knowledge_index_items where job_id = ${job.id} and status = 'done' order by seq`
  expect(outcomes.map((r) => `${r.kind}:${r.outcome}`)).toEqual(['fetch:unchanged', 'fetch:unchanged', 'fetch:created', 'remove:removed', 'rechunk:rechunked'])
  expect(hits.get('/flaky')).toBe(2)
  const titles = (await knowledge.articles.list(kb.id, { limit: 10 })).map((a) => a.title).sort()
  expect(titles).toEqual(['Faq', 'flaky', 'refunds', 'returns'])
  expect(upload.ok && (await knowledge.articles.get(kb.id, upload.article.id))!.version).toBe(1)
})

test('progress (done of total) is visible while the job runs, and asking again returns the running job', async () => {
  await newKb('progress', ['/p1', '/p2', '/p3', '/p4'])
  const release = gate('/p3')
  const { job } = (await knowledge.jobs.create('acme', 'progress'))!
  const running = run(job.id, { concurrency: 1 })
  const midway = await waitFor(async () => {
    const j = await knowledge.jobs.get('acme', 'progress', job.id)
    return j?.done === 2 && j
  }, 10_000, 'two items done')
  expect([midway.status, midway.done, midway.total, midway.pending]).toEqual(['running', 2, 4, 2])
  expect(await knowledge.jobs.create('acme', 'progress')).toMatchObject({ created: false, job: { id: job.id } })
  release()
  expect(await running).toBe('finished')
  expect(await knowledge.jobs.get('acme', 'progress', job.id)).toMatchObject({ status: 'completed', done: 4, total: 4 })
})

test('an interrupted job stops between items and resumes with what is left, fetching nothing twice', async () => {
  const paths = ['/r1', '/r2', '/r3', '/r4', '/r5']
  await newKb('resume', paths)
  const release = gate('/r2')
  const { job } = (await knowledge.jobs.create('acme', 'resume'))!
  const stop = new AbortController()
  const first = run(job.id, { concurrency: 1 }, stop.signal)
  await waitFor(async () => (hits.get('/r2') ?? 0) > 0, 10_000, '/r2 requested')
  stop.abort()
  release()
  expect(await first).toBe('interrupted')
  expect(await knowledge.jobs.get('acme', 'resume', job.id)).toMatchObject({ status: 'running', done: 2, pending: 3 })
  expect(await run(job.id)).toBe('finished')
  expect(paths.map((p) => hits.get(p))).toEqual([1, 1, 1, 1, 1])
  expect(await run(job.id)).toBe('finished')
  expect(await knowledge.jobs.get('acme', 'resume', job.id)).toMatchObject({ status: 'completed', done: 5, failed: 0 })
})

test('a job for an unknown knowledge base is not planned', async () => {
  expect(await knowledge.jobs.create('acme', 'nope')).toBeUndefined()
})
