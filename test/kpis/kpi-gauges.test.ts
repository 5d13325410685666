// The Prometheus KPI gauges over the judged rows: per tenant, agent and maturity level, with the figures the KPI API
// gives, and no more groups than the cap however many agents there are.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { agentKpiFigures } from '../../analytics/index.ts'
import { DEFAULT_KPI_SETTINGS, judgeOutcomeRow } from '../../kpis/index.ts'
import { createMetrics } from '../../lib/metrics.ts'
import { createKpiOutcomes } from '../../storage/index.ts'
import { insertConversation } from '../support/kpi-fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'

const NOW = Date.parse('2026-06-10T12:00:00Z')
const DAY = 86_400_000
const clock = { now: () => NOW }
const ask = (atS: number, text = 'where is my order?') => ({ role: 'customer' as const, atS, text })
const reply = (atS: number) => ({ role: 'assistant' as const, atS })

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
  // bot in execute: one resolved by a 5, one abandoned; bot in assist: one pending; three more agents with one each
  await insertConversation(db.sql, { id: 'g1', agent: 'bot', createdAt: NOW - 5 * DAY, csat: 5, messages: [ask(0), reply(2)], closedAtS: 30 })
  await insertConversation(db.sql, { id: 'g2', agent: 'bot', createdAt: NOW - 5 * DAY, messages: [ask(0), reply(2)] })
  await insertConversation(db.sql, { id: 'g3', agent: 'bot', mode: 'assist', createdAt: NOW - DAY, messages: [ask(0), reply(2)], closedAtS: 30 })
  for (const a of ['a1', 'a2', 'a3']) await insertConversation(db.sql, { id: `g-${a}`, agent: a, createdAt: NOW - DAY, messages: [ask(0)] })
  // older than 30 days: not in the gauges
  await insertConversation(db.sql, { id: 'g-old', agent: 'bot', createdAt: NOW - 40 * DAY, messages: [ask(0)] })
  await createKpiOutcomes(db.sql).sweep(new Date(NOW), (f) => judgeOutcomeRow(f, NOW, DEFAULT_KPI_SETTINGS))
})
afterAll(() => db.drop())

const storage = () => ({ kpiOutcomes: createKpiOutcomes(db.sql) })

test('the gauges carry each agent and level its own figures', async () => {
  const metrics = createMetrics({ kpis: () => agentKpiFigures({ storage: storage(), clock, settings: DEFAULT_KPI_SETTINGS }) })
  const body = (await metrics.render()).body
  expect(body).toContain('switchboard_kpi_conversations{tenant="t1",agent="bot",level="execute"} 2')
  expect(body).toContain('switchboard_kpi_resolution_rate{tenant="t1",agent="bot",level="execute"} 0.5')
  expect(body).toContain('switchboard_kpi_abandonment_rate{tenant="t1",agent="bot",level="execute"} 0.5')
  expect(body).toContain('switchboard_kpi_csat{tenant="t1",agent="bot",level="execute"} 5')
  expect(body).toContain('switchboard_kpi_conversations{tenant="t1",agent="bot",level="assist"} 1')
  // nothing decided in assist yet: no resolution rate rather than a made-up zero
  expect(body).not.toContain('switchboard_kpi_resolution_rate{tenant="t1",agent="bot",level="assist"}')
})

test('the groups are capped, the busiest kept', async () => {
  const figures = await agentKpiFigures({ storage: storage(), clock, settings: DEFAULT_KPI_SETTINGS, limit: 2 })
  expect(figures.map((f) => [f.agent, f.level, f.conversations])).toEqual([['bot', 'execute', 2], ['a1', 'execute', 1]])
})
