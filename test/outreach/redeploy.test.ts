// A redeploy in the middle of a campaign run: the old worker stops at a page boundary on SIGTERM's graceful
// close, the new one resumes the run from its cursor, and every customer hears from us exactly once.
import { afterAll, expect, test } from 'bun:test'
import { startPlatform, type Platform } from '../../platform.ts'
import { validateSpec } from '../../resources/index.ts'
import { testConfig } from '../support/platform.ts'
import { createTestDatabase } from '../support/postgres.ts'
import { createTestRedis } from '../support/redis.ts'
import { waitFor } from '../support/wait.ts'

const db = await createTestDatabase()
const redis = await createTestRedis()
const TENANT = 'acme'
const env = { OUTREACH_TICK_MS: '100', OUTREACH_PAGE_SIZE: '5', OUTREACH_SEND_CONCURRENCY: '1' }
let current: Platform | undefined

afterAll(async () => {
  await current?.close()
  await redis.cleanup()
  await db.drop()
})

test('a run under way survives a redeploy: resumed from its cursor, nobody contacted twice', async () => {
  current = await startPlatform(testConfig(redis.prefix, db.schema, env))
  const { storage } = current
  for (const [kind, name, spec] of [
    ['Agent', 'notifier', { instructions: 'Answer replies to our messages.' }],
    ['Campaign', 'everyone', { trigger: { schedule: { cron: '0 0 1 1 *' } }, audience: { source: 'retail.users' }, message: { template: 'Hi {{first_name}}' }, channel: 'email', replyAgent: 'notifier' }],
  ] as const) {
    await storage.resources.apply({ tenantId: TENANT, kind, name, spec: validateSpec(kind, { tenant: TENANT, ...spec }) as never, by: 'test' })
  }
  const found = (await storage.resources.get({ tenantId: TENANT, kind: 'Campaign', name: 'everyone' }))!
  const { run } = await storage.outreach.runs.open({ tenantId: TENANT, campaign: 'everyone', occurrence: 'manual:1', campaignVersion: 1, spec: found.spec! })
  const sent = async () => (await storage.outreach.deliveries.progress(run.id)).byStatus.sent ?? 0
  await waitFor(async () => (await sent()) >= 30, 30_000, 'the run to be under way')
  await current.close()
  current = undefined
  const stoppedAt = (await db.sql<{ n: number }[]>`select count(*)::int as n from outreach_deliveries where run_id = ${run.id} and status = 'sent'`)[0]!.n
  const total = (await db.sql<{ n: number }[]>`select count(*)::int as n from retail_users`)[0]!.n
  expect(stoppedAt).toBeLessThan(total)

  current = await startPlatform(testConfig(redis.prefix, db.schema, env))
  await waitFor(async () => (await current!.storage.outreach.runs.get(run.id))?.status === 'done', 60_000, 'the run to finish')
  expect((await current.storage.outreach.deliveries.progress(run.id)).byStatus).toEqual({ sent: total })
  await waitFor(async () => {
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from messages m join outreach_deliveries d on d.id = m.id where d.run_id = ${run.id}`
    return row!.n === total
  }, 30_000, 'every message written')
  const twice = await db.sql`select c.customer_id from conversations c join messages m on m.conversation_id = c.id
    where c.tenant_id = ${TENANT} and m.role = 'assistant' group by c.customer_id having count(*) > 1`
  expect(twice.length).toBe(0)
}, 120_000)
