// Outages of Redis and Postgres, on servers this test starts and kills itself: answers stay bounded (503 with
// Retry-After), and every accepted message is still answered once, in order, without handing anyone to a human.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startPlatform, type Platform } from '../../platform.ts'
import { testConfig } from '../support/platform.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { ownPostgres, ownRedis, type OwnPostgres, type OwnRedis } from '../support/servers.ts'
import { waitFor } from '../support/wait.ts'

// Far above the second or two an outage answer takes, far below the 4–14 s (or never) of a client that waits.
const BOUNDED_MS = 5000
const LEASE_TTL_MS = 3000
const ECHO_MS = 300

interface Harness {
  platform: Platform
  key: string
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers; ms: number }>
}

async function harness(prefix: string, schema: string, env: Record<string, string>): Promise<Harness> {
  const platform = await startPlatform(testConfig(prefix, schema, { ECHO_DELAY_MS: String(ECHO_MS), ...env }))
  await platform.storage.tenants.create({ id: 'outage', name: 'outage', rateLimitPerS: 1000 })
  const { key } = await platform.storage.apiKeys.issue('outage', ['channel', 'console'])
  const call = async (method: string, path: string, body?: unknown) => {
    const started = performance.now()
    const headers: Record<string, string> = { authorization: `Bearer ${key}` }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await platform.app!.handle(new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }))
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers, ms: performance.now() - started }
  }
  return { platform, key, call }
}

async function repliesInOrder(sql: TestDatabase['sql'], conversationId: string): Promise<{ asked: string[]; answered: string[] }> {
  const rows = await sql<{ id: string; role: string; turnId: string | null }[]>`select id, role, turn_id as "turnId" from messages
    where conversation_id = ${conversationId} order by seq`
  return { asked: rows.filter((r) => r.role === 'customer').map((r) => r.id), answered: rows.filter((r) => r.role === 'assistant').map((r) => r.turnId!) }
}

describe('redis outage', () => {
  let redis: OwnRedis
  let db: TestDatabase
  let h: Harness
  const prefix = `t-${crypto.randomUUID().slice(0, 13)}`

  beforeAll(async () => {
    redis = ownRedis()
    await redis.start()
    db = await createTestDatabase()
    h = await harness(prefix, db.schema, { REDIS_URL: redis.url, ACTOR_LEASE_TTL_MS: String(LEASE_TTL_MS) })
  })

  afterAll(async () => {
    await h.platform.close()
    await redis.kill()
    await db.drop()
  })

  test('while Redis is down, keyed requests answer 503 with Retry-After and /readyz answers not ready, both at once', async () => {
    await redis.kill()
    const post = await h.call('POST', '/v1/conversations', {})
    expect(post.status).toBe(503)
    expect(post.body.error.code).toBe('storage.unavailable')
    expect(Number(post.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(post.ms).toBeLessThan(BOUNDED_MS)
    const ready = await h.call('GET', '/readyz')
    expect(ready.status).toBe(503)
    expect(ready.body.checks.redis).toBe(false)
    expect(ready.ms).toBeLessThan(BOUNDED_MS)
    await redis.start()
    await waitFor(async () => (await h.call('GET', '/readyz')).status === 200, 15_000, 'ready again')
  }, 30_000)

  test('Redis restarted empty with mail waiting: every accepted message is answered once, in order, none escalated', async () => {
    const conversations: string[] = []
    for (let i = 0; i < 5; i++) conversations.push((await h.call('POST', '/v1/conversations', {})).body.id)
    await Promise.all(conversations.map(async (id) => {
      for (let m = 0; m < 4; m++) expect((await h.call('POST', `/v1/conversations/${id}/messages`, { text: `m${m}` })).status).toBe(202)
    }))
    // The echo model takes 300 ms a turn: most of this mail is still waiting, and some turns are in flight.
    await redis.kill()
    await redis.start()
    const restarted = performance.now()
    for (const id of conversations) {
      await waitFor(async () => {
        const { asked, answered } = await repliesInOrder(db.sql, id)
        return answered.length >= asked.length && asked.length === 4
      }, 60_000, `every message of ${id} answered`)
    }
    // Within a lease TTL of Redis coming back, plus the turns' own model time and the margin of a busy machine: not
    // after a pool call's minute-long timeout.
    expect(performance.now() - restarted).toBeLessThan(LEASE_TTL_MS + 4 * ECHO_MS + BOUNDED_MS)
    for (const id of conversations) {
      const { asked, answered } = await repliesInOrder(db.sql, id)
      expect(answered).toEqual(asked)
    }
    const [escalated] = await db.sql<{ n: number }[]>`select count(*)::int as n from conversations where status = 'escalated'`
    expect(escalated!.n).toBe(0)
  }, 90_000)
})

describe('postgres outage', () => {
  let pg: OwnPostgres
  let db: TestDatabase
  let h: Harness
  const prefix = `t-${crypto.randomUUID().slice(0, 13)}`

  beforeAll(async () => {
    pg = await ownPostgres()
    db = await createTestDatabase({ url: pg.url })
    h = await harness(prefix, db.schema, { DATABASE_URL: pg.url, ECHO_DELAY_MS: '1500' })
  }, 60_000)

  afterAll(async () => {
    await h.platform.close()
    await pg.destroy()
  }, 60_000)

  test('while Postgres is down posts answer 503 with Retry-After; a turn that met the outage is answered after it', async () => {
    const id = (await h.call('POST', '/v1/conversations', {})).body.id
    const sent = (await h.call('POST', `/v1/conversations/${id}/messages`, { text: 'Where is my order? It was due last week.' })).body.id as string
    // Stopped while the turn waits on the model: the model call's job cannot record its result, and spends its
    // attempts inside the outage; the turn's reply cannot be recorded until Postgres is back.
    await waitFor(async () => (await db.sql`select 1 from turn_facts where turn_id = ${sent}`).length === 1, 10_000, 'the turn begun')
    // The test's own reader stays out of the outage; the platform's pool is what is under test.
    await db.sql.end({ timeout: 5 })
    await pg.stop()
    const post = await h.call('POST', `/v1/conversations/${id}/messages`, { text: 'during the outage' })
    expect(post.status).toBe(503)
    expect(post.body.error.code).toBe('storage.unavailable')
    expect(Number(post.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(post.ms).toBeLessThan(BOUNDED_MS)
    // An outage of several seconds: longer than the model call's own attempts (each ends writing to Postgres) last.
    await Bun.sleep(6000)
    await pg.start()
    const sql = h.platform.storage.sql
    await waitFor(async () => (await repliesInOrder(sql, id).catch(() => ({ answered: [] }))).answered.length === 1, 60_000, 'the reply after the outage')
    const [conversation] = await sql<{ status: string }[]>`select status from conversations where id = ${id}`
    expect(conversation!.status).toBe('open')
  }, 90_000)
})
