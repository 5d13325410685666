// Campaigns across real worker processes: a worker killed with SIGKILL in the middle of a run leaves no
// customer contacted twice (another worker resumes the run), and a cron campaign watched by two workers fires
// one run per fire time. Multi-process: run under the heavy lock.
import { afterEach, expect, test } from 'bun:test'
import { validateSpec } from '../../resources/index.ts'
import type { Sql } from '../../storage/index.ts'
import { startCluster, type Cluster } from '../support/cluster.ts'
import { testEnv } from '../support/platform.ts'
import { spawnSwitchboard, type SwitchboardProcess } from '../support/processes.ts'
import { waitFor } from '../support/wait.ts'

const TENANT = 'acme'
let cluster: Cluster | undefined
const extra: SwitchboardProcess[] = []

afterEach(async () => {
  for (const p of extra.splice(0)) {
    p.kill('SIGKILL')
    await p.proc.exited
  }
  await cluster?.stop()
  cluster = undefined
})

/** What a team would apply, written straight to the store the workers read. */
async function declare(sql: Sql, kind: 'Agent' | 'Campaign', name: string, spec: Record<string, unknown>): Promise<void> {
  const valid = validateSpec(kind, { tenant: TENANT, ...spec })
  await sql`insert into resource_versions (tenant_id, kind, name, version, spec, created_by)
    values (${TENANT}, ${kind}, ${name}, coalesce((select max(version) from resource_versions where tenant_id = ${TENANT} and kind = ${kind} and name = ${name}), 0) + 1,
      ${sql.json(valid as never)}, 'test')`
}

const campaign = (trigger: Record<string, unknown>, audience: Record<string, unknown>) => ({
  trigger, audience, message: { template: 'Hi {{first_name}}' }, channel: 'email', replyAgent: 'notifier',
})

const retailSeeded = (sql: Sql) => waitFor(async () => (await sql`select 1 from retail_seed_state`).length > 0, 20_000, 'the retail seed')

test('a worker killed mid-campaign: the run resumes elsewhere and nobody hears twice', async () => {
  const env = { OUTREACH_TICK_MS: '100', OUTREACH_PAGE_SIZE: '10', OUTREACH_SEND_CONCURRENCY: '1' }
  cluster = await startCluster(1, env)
  const { sql } = cluster.db
  await retailSeeded(sql)
  await declare(sql, 'Agent', 'notifier', { instructions: 'Answer replies to our messages.' })
  await declare(sql, 'Campaign', 'delay', campaign({ event: { type: 'order.status_changed', to: ['delayed'] } }, { source: 'retail.orders' }))
  const audience = (await sql<{ n: number }[]>`select count(distinct user_id)::int as n from retail_orders where status = 'pending'`)[0]!.n
  await sql`update retail_orders set status = 'delayed' where status = 'pending'`
  // The demo shop's own delay campaign (demo/resources) answers the same event for its tenant: count ours.
  const sent = async () => (await sql<{ n: number }[]>`select count(*)::int as n from outreach_deliveries where tenant_id = ${TENANT} and status = 'sent'`)[0]!.n
  await waitFor(async () => (await sent()) >= 20, 30_000, 'the run to be under way')
  cluster.workers[0]!.kill('SIGKILL')
  await cluster.workers[0]!.proc.exited
  const atKill = await sent()
  expect(atKill).toBeLessThan(audience)
  const survivor = spawnSwitchboard('worker', testEnv(cluster.redis.prefix, cluster.db.schema, env))
  extra.push(survivor)
  await waitFor(async () => (await sql`select 1 from outreach_runs where tenant_id = ${TENANT} and status = 'done'`).length > 0, 60_000, 'the run to finish')
  expect(await sent()).toBe(audience)
  // One delivery, one conversation and one proactive message per customer.
  const perCustomer = await sql<{ conversations: number; messages: number }[]>`select
      (select count(*)::int from conversations c where c.customer_id = ci.customer_id) as conversations,
      (select count(*)::int from messages m join conversations c on c.id = m.conversation_id
        where c.customer_id = ci.customer_id and m.role = 'assistant') as messages
    from outreach_deliveries d join retail_users u on u.user_id = d.customer_ref and d.tenant_id = ${TENANT}
    join customer_identities ci on ci.tenant_id = ${TENANT} and ci.kind = 'email' and ci.value = lower(u.email)`
  expect(perCustomer.length).toBe(audience)
  expect(perCustomer.filter((c) => c.conversations !== 1 || c.messages !== 1)).toEqual([])
}, 120_000)

test('a cron campaign watched by two workers fires one run per fire time', async () => {
  cluster = await startCluster(2, { OUTREACH_TICK_MS: '100' })
  const { sql } = cluster.db
  await retailSeeded(sql)
  const users = (await sql<{ id: string }[]>`select user_id as id from retail_users order by user_id limit 3`).map((u) => u.id)
  await declare(sql, 'Agent', 'notifier', { instructions: 'Answer replies to our messages.' })
  await declare(sql, 'Campaign', 'tick', campaign({ schedule: { cron: '*/2 * * * * *' } }, { source: 'retail.users', where: [{ field: 'user_id', in: users }] }))
  const runs = () => sql<{ occurrence: string; sent: number }[]>`select r.occurrence,
    (select count(*)::int from outreach_deliveries d where d.run_id = r.id and d.status = 'sent') as sent
    from outreach_runs r where r.campaign = 'tick' order by r.occurrence`
  await waitFor(async () => (await runs()).filter((r) => r.sent === 3).length >= 4, 30_000, 'four fires')
  // Stop the schedule: a deleted campaign's scheduler is removed.
  await sql`insert into resource_versions (tenant_id, kind, name, version, spec, created_by)
    values (${TENANT}, 'Campaign', 'tick', 2, null, 'test')`
  const stopped = await waitFor(async () => {
    const before = (await runs()).length
    await Bun.sleep(2500)
    return (await runs()).length === before && before
  }, 15_000, 'the schedule to stop')
  const fired = (await runs()).map((r) => Number(r.occurrence.replace('cron:', '')))
  expect(fired.length).toBe(stopped)
  // Distinct fire times two seconds apart, none missed, none twice; each run reached its three customers once.
  expect(fired.slice(1).map((t, i) => t - fired[i]!)).toEqual(fired.slice(1).map(() => 2000))
  const n = (await sql<{ n: number }[]>`select count(*)::int as n from outreach_deliveries where tenant_id = ${TENANT} and status = 'sent'`)[0]!.n
  expect(n).toBe(fired.length * 3)
}, 120_000)
