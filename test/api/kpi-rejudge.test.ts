// `admin kpis rejudge`: after a KPI definition setting changed, the judged rows follow it only once their
// conversations are marked again; the command marks those of a tenant, an agent or all, says how many, reports
// progress on a long run, and refuses a mistyped filter rather than widening to every conversation.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { runAdminCommand, type AdminDeps } from '../../api/index.ts'
import { createJobScrubber } from '../../queues/index.ts'
import { DEFAULT_KPI_SETTINGS, judgeOutcomeRow, type KpiSettings } from '../../kpis/index.ts'
import { createStorage, type Storage } from '../../storage/index.ts'
import { insertConversation } from '../support/kpi-fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'

const NOW = Date.parse('2026-06-10T12:00:00Z')
const H = 3_600_000
// Silent for 30 h after a reply: abandoned at the default 24 h, still open at 48 h.
const LONGER_PATIENCE: KpiSettings = { ...DEFAULT_KPI_SETTINGS, abandonAfterMs: 48 * H }
const judgeWith = (s: KpiSettings) => (f: Parameters<typeof judgeOutcomeRow>[0]) => judgeOutcomeRow(f, NOW, s)

let db: TestDatabase
let redis: TestRedis
let storage: Storage
let deps: AdminDeps
const progress: string[] = []
const admin = (...args: string[]) => runAdminCommand(deps, ['kpis', 'rejudge', ...args])
const outcomeOf = async (id: string) => (await db.sql<{ outcome: string }[]>`select outcome from conversation_outcomes where conversation_id = ${id}`)[0]?.outcome
const sweep = (s: KpiSettings) => storage.kpiOutcomes.sweep(new Date(NOW), judgeWith(s))

beforeAll(async () => {
  db = await createTestDatabase()
  redis = await createTestRedis()
  storage = createStorage(db.sql, redis.client, redis.prefix)
  deps = {
    storage, dequeue: createJobScrubber(redis.client, redis.prefix), apply: { resources: storage.resources, builtinTools: [] },
    readSecret: async () => '', progress: (line) => void progress.push(line),
  }
  for (const id of ['ta', 'tb', 'tc']) await storage.tenants.create({ id, name: id })
  const silent = { createdAt: NOW - 31 * H, messages: [{ role: 'customer' as const, atS: 0, text: 'where is my order?' }, { role: 'assistant' as const, atS: 3600 }] }
  await insertConversation(db.sql, { id: 'a-bot', tenant: 'ta', agent: 'bot', ...silent })
  await insertConversation(db.sql, { id: 'a-other', tenant: 'ta', agent: 'other', ...silent })
  await insertConversation(db.sql, { id: 'b-bot', tenant: 'tb', agent: 'bot', ...silent })
})

afterAll(async () => {
  await redis.cleanup()
  await db.drop()
})

describe('kpis rejudge', () => {
  test('a changed definition reaches the judged rows of the conversations marked, and only theirs', async () => {
    expect(await sweep(DEFAULT_KPI_SETTINGS)).toBe(3)
    expect(await outcomeOf('a-bot')).toBe('abandoned')
    // The workers now run with the longer patience, but nothing changed in the conversations: nothing is judged.
    expect(await sweep(LONGER_PATIENCE)).toBe(0)
    expect(await admin('--tenant', 'ta', '--agent', 'bot')).toMatchObject({ marked: 1, tenant: 'ta', agent: 'bot' })
    expect(await sweep(LONGER_PATIENCE)).toBe(1)
    expect([await outcomeOf('a-bot'), await outcomeOf('a-other'), await outcomeOf('b-bot')]).toEqual(['open', 'abandoned', 'abandoned'])
    expect(await admin('--agent', 'bot')).toMatchObject({ marked: 2 })
    expect(await admin()).toMatchObject({ marked: 3 })
    expect(await sweep(LONGER_PATIENCE)).toBe(3)
    expect([await outcomeOf('a-other'), await outcomeOf('b-bot')]).toEqual(['open', 'open'])
    expect(progress).toEqual([])
  })

  test('a mistyped or unknown filter is refused, never widened to every conversation', async () => {
    await expect(admin('--tenant')).rejects.toMatchObject({ code: 'request.invalid' })
    await expect(admin('--agnet', 'bot')).rejects.toMatchObject({ code: 'request.invalid' })
    await expect(admin('--agent', 'not a name')).rejects.toMatchObject({ code: 'request.invalid' })
    await expect(admin('--tenant', 'nobody')).rejects.toMatchObject({ code: 'not_found' })
    await expect(runAdminCommand(deps, ['kpis', 'judge'])).rejects.toMatchObject({ code: 'request.invalid' })
    expect(await storage.kpiOutcomes.backlog(new Date(NOW))).toBe(0)
  })

  test('a long run reports its progress batch by batch', async () => {
    await db.sql`insert into conversations (id, tenant_id, agent) select 'c-' || lpad(g::text, 6, '0'), 'tc', 'bot' from generate_series(1, 25000) g`
    expect(await admin('--tenant', 'tc')).toMatchObject({ marked: 25_000 })
    expect(progress).toEqual(['marked 10000 of 25000 conversations', 'marked 20000 of 25000 conversations'])
    const [marks] = await db.sql<{ n: number }[]>`select count(*)::int as n from kpi_dirty d join conversations c on c.id = d.conversation_id where c.tenant_id = 'tc'`
    expect(marks!.n).toBe(25_000)
  })
})
