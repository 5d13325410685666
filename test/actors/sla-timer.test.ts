// SLA clocks of handoffs with a clock the test moves: a breach is reported exactly once (one event on the stream,
// one webhook, one count on the metric) however many workers sweep at once and however often; a customer still
// waiting is told so honestly, once per interval; a person's first answer stops the first-response clock.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startSlaTimer, type SlaTimer } from '../../actors/index.ts'
import { createLogger } from '../../lib/log.ts'
import { createMetrics } from '../../lib/metrics.ts'
import type { ConversationEvent } from '../../storage/index.ts'
import { newConversation, startApiHarness, type ApiHarness } from '../api/harness.ts'
import { waitFor } from '../support/wait.ts'

let offsetMs = 0
const clock = { now: () => Date.now() + offsetMs }
const metrics = createMetrics()
const deliveries: { type: string; data: Record<string, unknown> }[] = []
const receiver = Bun.serve({
  port: 0, hostname: '127.0.0.1',
  fetch: async (req) => (deliveries.push(await req.json()), new Response('ok')),
})

let h: ApiHarness
let workers: SlaTimer[]
beforeAll(async () => {
  h = await startApiHarness({ AGENT_PROVIDER: 'local', CONSOLE_SLA_SWEEP_MS: '0' }, { clock })
  // Two workers sweeping the same handoffs, as every worker of a deployment does.
  const timer = () => startSlaTimer({
    storage: h.platform.storage, clock, log: createLogger({ test: 'sla' }), onBreach: metrics.observer.slaBreached, intervalMs: 0,
  })
  workers = [timer(), timer()]
  await h.call('POST', '/v1/webhooks', { body: { url: `http://127.0.0.1:${receiver.port}/hooks`, events: ['sla.breached'] } })
})
afterAll(async () => {
  for (const w of workers) await w.close()
  await h.close()
  receiver.stop(true)
})

const events = async (id: string) => (await h.platform.storage.events.read(id, '0', { count: 500 })).map((e) => e.event)
const ofType = async (id: string, type: string) => (await events(id)).filter((e) => e.type === type)
const sweepTogether = async (times: number) => {
  for (let i = 0; i < times; i++) await Promise.all(workers.map((w) => w.sweep()))
}
const breachCount = async (kind: string) => {
  const line = (await metrics.render()).body.split('\n').find((l) => l.startsWith(`switchboard_sla_breaches_total{kind="${kind}"}`))
  return Number(line?.split(' ')[1] ?? 0)
}

async function escalated(): Promise<{ id: string; escalationId: string; reply: ConversationEvent }> {
  const id = await newConversation(h)
  await h.call('POST', `/v1/conversations/${id}/messages`, { body: { text: 'I want to talk to a human agent' } })
  const reply = await waitFor(async () => (await ofType(id, 'reply.completed'))[0], 10_000, 'the handoff reply')
  const opened = (await ofType(id, 'escalation.opened'))[0]!
  return { id, escalationId: opened.data.escalationId as string, reply }
}

test('a breach is reported once, a late customer is told so once per interval, and the first answer stops the clock', async () => {
  const { id, escalationId, reply } = await escalated()
  // The handoff reply itself tells the customer where they stand: nobody is available yet, so the target, not a guess.
  expect(reply.data.text).toContain('No one from the team is available this moment; we aim to reply within about 5 minutes.')
  await sweepTogether(2)
  expect(await ofType(id, 'sla.breached')).toEqual([])

  offsetMs = 301_000
  await sweepTogether(3)
  const breaches = await ofType(id, 'sla.breached')
  expect(breaches.map((e) => e.data)).toEqual([expect.objectContaining({ escalationId, kind: 'first_response', queue: 'General' })])
  expect(await breachCount('first_response')).toBe(1)
  const holding = (await ofType(id, 'reply.completed')).filter((e) => e.data.holding)
  expect(holding.map((e) => e.id)).toEqual([`${escalationId}.hold.2`])
  expect(holding[0]!.data).toMatchObject({ author: 'system' })
  expect(holding[0]!.data.text).toContain('taking longer than we aim for')
  await waitFor(async () => deliveries.some((d) => d.type === 'sla.breached'), 15_000, 'the webhook')

  // A person takes it and answers: the first-response clock stops; the resolution clock still runs.
  await h.call('POST', `/v1/escalations/${escalationId}/take`, { body: { agent: 'anna@support' } })
  await h.call('POST', `/v1/conversations/${id}/agent-messages`, { body: { text: 'Anna here, sorry for the wait.', agent: 'anna@support' } })
  offsetMs = 3_601_000
  await sweepTogether(3)
  expect((await ofType(id, 'sla.breached')).map((e) => e.data.kind)).toEqual(['first_response', 'resolution'])
  expect([await breachCount('first_response'), await breachCount('resolution')]).toEqual([1, 1])
  // Taken: nobody waits for a person any more, so no further holding message.
  expect((await ofType(id, 'reply.completed')).filter((e) => e.data.holding)).toHaveLength(1)
  await waitFor(async () => deliveries.filter((d) => d.data.escalationId === escalationId).length === 2, 15_000, 'both webhooks')
  await h.call('POST', `/v1/escalations/${escalationId}/resolve`, { body: {} })
})

test('a handoff answered in time never breaches its first-response target', async () => {
  offsetMs = 0
  const { id, escalationId } = await escalated()
  await h.call('POST', `/v1/escalations/${escalationId}/take`, { body: { agent: 'bob@support' } })
  await h.call('POST', `/v1/conversations/${id}/agent-messages`, { body: { text: 'Bob here.', agent: 'bob@support' } })
  await h.call('POST', `/v1/escalations/${escalationId}/resolve`, { body: {} })
  offsetMs = 10 * 3_600_000
  await sweepTogether(2)
  expect(await ofType(id, 'sla.breached')).toEqual([])
})
