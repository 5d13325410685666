// Systemic issues: a synthetic spike (an intent, a failing tool, a complaint term) is detected against its own
// baseline and alerted once, Alertmanager-compatible, to a real HTTP receiver; a steady cluster never alerts; the
// alerts resolve, with endsAt, when the spike ends.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { evaluateSystemicIssues } from '../../analytics/index.ts'
import { detectSpikes, reconcileAlerts } from '../../kpis/index.ts'
import { createLogger } from '../../lib/log.ts'
import { createMetrics } from '../../lib/metrics.ts'
import { createSystemicAlerts } from '../../storage/index.ts'
import { insertConversation } from '../support/kpi-fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'

const H = 3_600_000
const NOW = Date.parse('2026-06-10T12:00:00Z')

describe('spike detection', () => {
  const cluster = (current: number, baseline: number[]) => ({ kind: 'intent' as const, value: 'refund', current, baseline, examples: [] })
  test('a steady or a small cluster is no spike; one far above its baseline is', () => {
    expect(detectSpikes([cluster(5, [5, 5, 5, 5])])).toEqual([])
    expect(detectSpikes([cluster(9, [5, 4, 6, 5])])).toEqual([])
    expect(detectSpikes([cluster(3, [0, 0, 0, 0])])).toEqual([])
    expect(detectSpikes([cluster(20, [2, 2, 3, 1])]).map((s) => [s.key, s.baselineMean])).toEqual([['intent:refund', 2]])
  })
  test('alerts open once, stay while the spike lasts, resolve after', () => {
    const spike = detectSpikes([cluster(20, [2, 2])])
    expect(reconcileAlerts(new Set(), spike)).toMatchObject({ open: [{ key: 'intent:refund' }], ongoing: [], resolve: [] })
    expect(reconcileAlerts(new Set(['intent:refund']), spike)).toMatchObject({ open: [], ongoing: [{ key: 'intent:refund' }], resolve: [] })
    expect(reconcileAlerts(new Set(['intent:refund']), [])).toEqual({ open: [], ongoing: [], resolve: ['intent:refund'] })
  })
})

describe('alerts over real conversations', () => {
  let db: TestDatabase
  let receiver: ReturnType<typeof Bun.serve>
  const received: Array<Array<Record<string, any>>> = []
  beforeAll(async () => {
    db = await createTestDatabase()
    receiver = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: async (req) => { received.push(await req.json() as never); return new Response('ok') } })
    let n = 0
    const turn = async (intent: string, at: number, text = 'hello') => insertConversation(db.sql, { id: `s${n++}`, intent, createdAt: at,
      messages: [{ role: 'customer', atS: 0, text }] })
    for (let w = 1; w <= 6; w++) {
      for (let i = 0; i < 2; i++) await turn('refund', NOW - w * H - (i + 1) * 60_000)
      for (let i = 0; i < 5; i++) await turn('order_status', NOW - w * H - (i + 1) * 60_000)
    }
    for (let i = 0; i < 20; i++) await turn('refund', NOW - (i + 1) * 60_000, i < 6 ? 'my parcel arrived DAMAGED' : 'refund please')
    for (let i = 0; i < 5; i++) await turn('order_status', NOW - (i + 1) * 60_000)
    for (let i = 0; i < 8; i++) {
      await db.sql`insert into tool_calls (idempotency_key, tool, args, conversation_id, ok, created_at)
        values (${`fail${i}`}, 'refund_order', '{}', ${`s${i}`}, false, ${new Date(NOW - (i + 1) * 120_000)})`
    }
    // another tenant's spike is its own
    for (let i = 0; i < 10; i++) await insertConversation(db.sql, { id: `o${i}`, tenant: 't2', intent: 'refund', createdAt: NOW - 60_000, messages: [{ role: 'customer', atS: 0 }] })
  })
  afterAll(async () => {
    receiver.stop(true)
    await db.drop()
  })

  const deps = () => ({ storage: { systemicAlerts: createSystemicAlerts(db.sql) }, log: createLogger(), webhookUrl: `http://127.0.0.1:${receiver.port}/api/v2/alerts`,
    windowMs: H, baselineWindows: 6, terms: ['damaged', 'broken'] })

  test('the spike alerts once with counts and examples; the steady intent never', async () => {
    expect(await evaluateSystemicIssues(deps(), 't1', NOW)).toEqual({
      opened: ['complaint:damaged', 'intent:refund', 'tool_error:refund_order'], resolved: [] })
    expect(received).toHaveLength(1)
    const alerts = received[0]!
    expect(alerts.map((a) => a.labels)).toEqual([
      { alertname: 'SwitchboardSystemicIssue', tenant: 't1', kind: 'complaint', cluster: 'damaged', severity: 'warning' },
      { alertname: 'SwitchboardSystemicIssue', tenant: 't1', kind: 'intent', cluster: 'refund', severity: 'warning' },
      { alertname: 'SwitchboardSystemicIssue', tenant: 't1', kind: 'tool_error', cluster: 'refund_order', severity: 'warning' },
    ])
    expect(alerts[1]!.annotations.summary).toBe('intent "refund": 20 in the last window, baseline 2.0')
    expect(alerts[1]!.annotations.examples.split(', ')).toHaveLength(3)
    expect(alerts[1]!.startsAt).toBe(new Date(NOW).toISOString())
    expect(alerts[1]!.endsAt).toBeUndefined()

    // evaluated again (another worker, the next tick): nothing new is sent
    expect(await evaluateSystemicIssues(deps(), 't1', NOW + 60_000)).toEqual({ opened: [], resolved: [] })
    expect(received).toHaveLength(1)
    expect((await createSystemicAlerts(db.sql).list('t1', 10)).map((a) => [a.key, a.status])).toEqual([
      ['complaint:damaged', 'firing'], ['intent:refund', 'firing'], ['tool_error:refund_order', 'firing']])
    const scrape = (await createMetrics({ alerts: () => createSystemicAlerts(db.sql).firingCounts() }).render()).body
    for (const kind of ['complaint', 'intent', 'tool_error']) expect(scrape).toContain(`switchboard_systemic_alerts_firing{kind="${kind}"} 1`)
  })

  test('when the spike is over, each alert resolves with endsAt', async () => {
    const later = NOW + 2 * H
    expect(await evaluateSystemicIssues(deps(), 't1', later)).toEqual({
      opened: [], resolved: ['complaint:damaged', 'intent:refund', 'tool_error:refund_order'] })
    expect(received).toHaveLength(2)
    expect(received[1]!.every((a) => a.endsAt === new Date(later).toISOString())).toBe(true)
    expect((await createSystemicAlerts(db.sql).firing('t1'))).toEqual([])
  })
})
