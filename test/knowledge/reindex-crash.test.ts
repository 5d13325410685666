// kill -9 of the worker running a re-index: another worker takes the job over once its lock lapses and finishes
// it from the recorded items, so no page is fetched twice except the one in flight at the kill.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createKnowledgeIndexQueue, createRedis } from '../../queues/index.ts'
import { createStorage, type Knowledge } from '../../storage/index.ts'
import { startCluster, type Cluster } from '../support/cluster.ts'
import { testEnv } from '../support/platform.ts'
import { spawnSwitchboard, type SwitchboardProcess } from '../support/processes.ts'
import { waitFor } from '../support/wait.ts'

const PAGES = 12
const ENV = { KNOWLEDGE_FETCH_ALLOW_PRIVATE: 'true', KNOWLEDGE_FETCH_CONCURRENCY: '1', ACTOR_LEASE_TTL_MS: '2000' }
let cluster: Cluster
let site: ReturnType<typeof Bun.serve>
let successor: SwitchboardProcess | undefined
const hits = new Map<string, number>()

beforeAll(async () => {
  site = Bun.serve({
    port: 0, hostname: '127.0.0.1',
    async fetch(req) {
      const path = new URL(req.url).pathname
      hits.set(path, (hits.get(path) ?? 0) + 1)
      await Bun.sleep(150)
      return new Response(`# Page ${path.slice(1)}\n\nText of page ${path.slice(1)}.`, { headers: { 'content-type': 'text/markdown' } })
    },
  })
  cluster = await startCluster(1, ENV)
}, 30_000)
afterAll(async () => {
  successor?.kill('SIGKILL')
  await successor?.proc.exited
  await cluster.stop()
  site.stop(true)
})

test('a re-index survives the death of its worker and completes elsewhere, without refetching', async () => {
  const { db, redis } = cluster
  const knowledge: Knowledge = createStorage(db.sql, redis.client, redis.prefix).knowledge
  await db.sql`insert into tenants (id, name) values ('acme', 'Acme')`
  await knowledge.bases.create('acme', { name: 'site' })
  await knowledge.bases.setUrls('acme', 'site', Array.from({ length: PAGES }, (_, i) => `http://127.0.0.1:${site.port}/p${i}`))
  const { job } = (await knowledge.jobs.create('acme', 'site'))!
  const bull = createRedis(redis.url, 'test-knowledge')
  const queue = createKnowledgeIndexQueue(bull, redis.prefix)
  try {
    await queue.enqueue(job.id)
    await waitFor(async () => ((await knowledge.jobs.get('acme', 'site', job.id))?.done ?? 0) >= 4, 30_000, 'four pages indexed')
    cluster.workers[0]!.kill('SIGKILL')
    await cluster.workers[0]!.proc.exited
    const atKill = (await knowledge.jobs.get('acme', 'site', job.id))!
    expect(atKill.status).toBe('running')
    expect(atKill.done).toBeLessThan(PAGES)

    successor = spawnSwitchboard('worker', testEnv(redis.prefix, db.schema, ENV))
    const finished = await waitFor(async () => {
      const j = await knowledge.jobs.get('acme', 'site', job.id)
      return j?.status === 'completed' && j
    }, 45_000, 're-index completed by the successor')
    expect([finished.total, finished.done, finished.failed]).toEqual([PAGES, PAGES, 0])
    const refetched = [...hits.values()].filter((n) => n > 1)
    expect(refetched.length).toBeLessThanOrEqual(1)
    expect(hits.size).toBe(PAGES)
    expect((await knowledge.bases.get('acme', 'site'))!.articles).toBe(PAGES)
  } finally {
    await queue.close()
    bull.disconnect()
  }
}, 90_000)
