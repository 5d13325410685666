// The daily QA sample: stratified by type and level, low confidence and low CSAT over-sampled, reproducible from its
// seed; drawn from AI-handled conversations only, and recorded exactly once per day by racing workers.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { sampleDay } from '../../analytics/index.ts'
import { sampleForQa, type QaCandidate } from '../../kpis/index.ts'
import { createLogger } from '../../lib/log.ts'
import { createQaSamples, type Sql } from '../../storage/index.ts'
import { insertConversation } from '../support/kpi-fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'

const options = { perStratum: 3, lowConfidenceBelow: 0.6, lowCsatAtMost: 2, oversample: 8 }

describe('stratified sampling', () => {
  const candidates: QaCandidate[] = []
  for (let i = 0; i < 200; i++) {
    candidates.push({ conversationId: `c${String(i).padStart(3, '0')}`, intent: i % 2 === 0 ? 'refund' : 'order_status',
      mode: i % 4 < 2 ? 'execute' : 'operate', confidence: i % 10 === 0 ? 0.3 : 0.9, csat: i % 10 === 5 ? 1 : null })
  }

  test('each (intent, mode) stratum gets its share, whatever its size', () => {
    const sample = sampleForQa(candidates, 'seed', options)
    const per = new Map<string, number>()
    for (const s of sample) per.set(s.stratum, (per.get(s.stratum) ?? 0) + 1)
    expect(Object.fromEntries(per)).toEqual({ 'order_status/execute': 3, 'order_status/operate': 3, 'refund/execute': 3, 'refund/operate': 3 })
    expect(sampleForQa(candidates.slice(0, 2), 'seed', options).length).toBe(2)
  })

  test('the same seed draws the same sample in any input order; another seed another', () => {
    const a = sampleForQa(candidates, 'acme/2026-06-09', options)
    expect(sampleForQa([...candidates].reverse(), 'acme/2026-06-09', options)).toEqual(a)
    expect(sampleForQa(candidates, 'acme/2026-06-10', options)).not.toEqual(a)
  })

  test('low confidence and low CSAT are over-sampled', () => {
    // one candidate in five is flagged; drawn at random, about a fifth of the sample would be
    let flagged = 0
    let drawn = 0
    for (let day = 0; day < 50; day++) {
      const sample = sampleForQa(candidates, `day-${day}`, options)
      drawn += sample.length
      flagged += sample.filter((s) => s.reason !== 'random').length
    }
    expect(flagged / drawn).toBeGreaterThan(0.5)
  })
})

describe('the daily job', () => {
  let db: TestDatabase
  const day = '2026-06-09'
  const closedThatDay = Date.parse(`${day}T08:00:00Z`)
  beforeAll(async () => {
    db = await createTestDatabase()
    const ask = { role: 'customer' as const, atS: 0 }
    for (let i = 0; i < 12; i++) {
      await insertConversation(db.sql, { id: `ai${i}`, intent: i % 2 ? 'refund' : 'order_status', confidence: 0.9, createdAt: closedThatDay,
        messages: [ask, { role: 'assistant', atS: 2 }], closedAtS: 60 })
    }
    // not AI-handled, not closed that day, or another tenant's: never sampled
    await insertConversation(db.sql, { id: 'handed', intent: 'refund', createdAt: closedThatDay, messages: [ask], closedAtS: 60, escalation: { atS: 5, category: 'customer_asked' } })
    await insertConversation(db.sql, { id: 'person', intent: 'refund', createdAt: closedThatDay, messages: [ask, { role: 'human_agent', atS: 3 }], closedAtS: 60 })
    await insertConversation(db.sql, { id: 'open', intent: 'refund', createdAt: closedThatDay, messages: [ask] })
    await insertConversation(db.sql, { id: 'later', intent: 'refund', createdAt: closedThatDay + 86_400_000, messages: [ask], closedAtS: 60 })
    await insertConversation(db.sql, { id: 'other', tenant: 't2', intent: 'refund', createdAt: closedThatDay, messages: [ask], closedAtS: 60 })
  })
  afterAll(() => db.drop())

  const deps = (sql: Sql) => ({ storage: { qaSamples: createQaSamples(sql), tenants: { list: async () => [] } }, clock: { now: () => Date.now() },
    log: createLogger(), options })

  test('five workers race for the same day: one draws the sample, the others find it drawn', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => sampleDay(deps(db.sql), 't1', day)))
    expect(results.filter((r) => r !== null)).toEqual([6])
    const rows = await createQaSamples(db.sql).ofDay('t1', day)
    expect(rows.length).toBe(6)
    expect(new Set(rows.map((r) => r.stratum))).toEqual(new Set(['order_status/execute', 'refund/execute']))
    expect(rows.every((r) => r.conversationId.startsWith('ai'))).toBe(true)
    expect(await sampleDay(deps(db.sql), 't1', day)).toBeNull()
    expect((await db.sql`select count(*)::int as n from qa_sample_runs`)[0]!.n).toBe(1)
  })
})
