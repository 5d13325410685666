// bench:outreach: one campaign occurrence over an audience of 100,000 customers of the retail tables, with
// the restraint a real tenant has (opt-outs, suppressions, open escalations, recent messages under a frequency
// cap, customers in their quiet hours). (1) Decided: every customer judged (send, defer or skip with its
// reason) and recorded, page by page, exactly as a run does it. Baseline in the same run: the same decision one
// customer at a time (a facts query and an insert each). (2) Sent: messages delivered into their customers'
// conversations (customer identified, conversation opened, mail into its mailbox, row marked), over a sample.
// Usage: bun bench/outreach.ts [audience] [sent sample]
import { createDeliverer } from '../actors/outreach/deliverer.ts'
import { audienceOf } from '../actors/index.ts'
import { NOOP_OBSERVER } from '../actors/observer.ts'
import { systemClock } from '../lib/clock.ts'
import { createLogger } from '../lib/log.ts'
import { decideAll, type CampaignSpec } from '../outreach/index.ts'
import { createLeases, createMailbox, createPoolClient, createRedis } from '../queues/index.ts'
import { validateSpec } from '../resources/index.ts'
import { createRedisClient, createStorage, type AudienceMember, type DecidedRow, type OutreachRun } from '../storage/index.ts'
import { createBenchEnv, deleteKeys, progress, redisUrl, round } from './support.ts'

const AUDIENCE = Number(process.argv[2] ?? 100_000)
const SENT_SAMPLE = Number(process.argv[3] ?? 10_000)
const BASELINE_SAMPLE = 2000
const PAGE = 1000
const TENANT = 'bench'

const env = await createBenchEnv('outreach')
const { sql } = env
const redis = createRedisClient(redisUrl())
const bull = createRedis(redisUrl(), 'bench-outreach')
const storage = createStorage(sql, redis, env.prefix)
const log = createLogger({ bench: 'outreach' })

/** Customers 0…n-1 with one delayed order each, and the restraint facts of a live tenant. */
async function seed(): Promise<void> {
  await sql`insert into retail_users (user_id, first_name, last_name, email, address1, address2, city, country, state, zip, position)
    select 'u' || lpad(i::text, 7, '0'), 'First' || i, 'Last' || i, 'u' || i || '@example.com', '1 Main St', '', 'City', 'USA',
      (array['NY', 'CA', 'TX', 'IL', 'WA'])[1 + i % 5], '10001', i from generate_series(0, ${AUDIENCE - 1}) i`
  await sql`insert into retail_orders (order_id, user_id, address1, address2, city, country, state, zip, status, position, user_position)
    select '#W' || lpad(i::text, 7, '0'), 'u' || lpad(i::text, 7, '0'), '1 Main St', '', 'City', 'USA', 'NY', '10001', 'delayed', i, 0
    from generate_series(0, ${AUDIENCE - 1}) i`
  // 5% opted out, 2% suppressed, 3% in Tokyo (quiet hours there now), 1% with an open escalation.
  await sql`insert into outreach_consent (tenant_id, customer_ref, channel, status, source)
    select ${TENANT}, 'u' || lpad(i::text, 7, '0'), 'email', 'out', 'bench' from generate_series(0, ${AUDIENCE - 1}, 20) i`
  await sql`insert into outreach_suppressions (tenant_id, address) select ${TENANT}, 'u' || i || '@example.com' from generate_series(1, ${AUDIENCE - 1}, 50) i`
  await sql`insert into outreach_time_zones (tenant_id, customer_ref, time_zone)
    select ${TENANT}, 'u' || lpad(i::text, 7, '0'), 'Asia/Tokyo' from generate_series(2, ${AUDIENCE - 1}, 33) i`
  await sql`insert into customers (id, tenant_id) select 'cus_b' || i, ${TENANT} from generate_series(3, ${AUDIENCE - 1}, 100) i`
  await sql`insert into customer_identities (tenant_id, kind, value, customer_id)
    select ${TENANT}, 'email', 'u' || i || '@example.com', 'cus_b' || i from generate_series(3, ${AUDIENCE - 1}, 100) i`
  await sql`insert into conversations (id, tenant_id, customer_id, status) select 'c_b' || i, ${TENANT}, 'cus_b' || i, 'escalated' from generate_series(3, ${AUDIENCE - 1}, 100) i`
  await sql`insert into escalations (id, conversation_id, reason) select 'e_b' || i, 'c_b' || i, 'bench' from generate_series(3, ${AUDIENCE - 1}, 100) i`
  await sql`analyze`
}

function quietAroundTokyoNow(): { start: string; end: string } {
  const hhmm = (ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms)
  return { start: hhmm(Date.now() - 3_600_000), end: hhmm(Date.now() + 3_600_000) }
}

const spec = validateSpec('Campaign', {
  tenant: TENANT, trigger: { event: { type: 'order.status_changed', to: ['delayed'] } }, audience: { source: 'retail.orders' },
  message: { template: 'Hi {{first_name}}, your order {{order_ids}} is delayed.' }, channel: 'email', replyAgent: 'notifier',
  quietHours: { ...quietAroundTokyoNow(), defaultTimeZone: 'America/New_York' }, frequencyCap: { max: 1, periodHours: 24 },
}) as CampaignSpec

const toRows = (page: AudienceMember[], run: OutreachRun): DecidedRow[] => decideAll(page, spec, run.campaign, Date.now()).map((d, i) => {
  const m = page[i]!
  const base = { customerRef: m.customerRef, address: m.address, reason: null, dueAt: null, text: null }
  if (d.outcome === 'skip') return { ...base, status: 'skipped', reason: d.reason }
  return d.outcome === 'send' ? { ...base, status: 'pending', text: d.text } : { ...base, status: 'deferred', dueAt: d.dueAt, text: d.text }
})

const open = async (occurrence: string) => (await storage.outreach.runs.open({
  tenantId: TENANT, campaign: 'delay', occurrence, campaignVersion: 1, spec: spec as never,
})).run

/** The customers decided by an earlier campaign today: 3% are under the frequency cap. */
async function earlierMessages(): Promise<void> {
  const earlier = await open('earlier')
  await sql`insert into outreach_deliveries (id, run_id, tenant_id, customer_ref, status)
    select ${earlier.id} || '.' || i, ${earlier.id}, ${TENANT}, 'u' || lpad(i::text, 7, '0'), 'sent' from generate_series(4, ${AUDIENCE - 1}, 33) i`
}

async function decidedPerS(): Promise<{ perS: number; progress: Awaited<ReturnType<typeof storage.outreach.deliveries.progress>> }> {
  const run = await open('bench')
  const query = audienceOf(run, Date.now())
  const started = performance.now()
  await storage.outreach.runs.setTotal(run.id, query)
  let decided = 0
  for (let n = -1; n !== 0;) {
    n = await storage.outreach.runs.decidePage(run, query, PAGE, (page) => toRows(page, run))
    decided += n
    if (decided % 20_000 === 0 && n > 0) progress(`decided ${decided}`)
  }
  const perS = decided / ((performance.now() - started) / 1000)
  return { perS, progress: await storage.outreach.deliveries.progress(run.id) }
}

/** The same decisions one customer at a time: a facts query and an insert per customer. */
async function naivePerS(): Promise<number> {
  const run = await open('naive')
  const query = audienceOf(run, Date.now())
  const started = performance.now()
  for (let i = 0; i < BASELINE_SAMPLE; i++) {
    const member = await storage.outreach.member(query, `u${String(i).padStart(7, '0')}`)
    const [row] = toRows([member!], run)
    await sql`insert into outreach_deliveries (id, run_id, tenant_id, customer_ref, status, reason, address, text)
      values (${`${run.id}.${row!.customerRef}`}, ${run.id}, ${TENANT}, ${row!.customerRef}, ${row!.status}, ${row!.reason}, ${row!.address}, ${row!.text})`
  }
  const perS = BASELINE_SAMPLE / ((performance.now() - started) / 1000)
  // Its pending messages would count toward the frequency cap of the run measured next.
  await sql`delete from outreach_runs where id = ${run.id}`
  return perS
}

async function sentPerS(): Promise<{ perS: number; sent: number }> {
  const [run] = await sql<{ id: string }[]>`select id from outreach_runs where occurrence = 'bench'`
  const stored = (await storage.outreach.runs.get(run!.id))!
  const leases = createLeases(bull, env.prefix, 'bench', 10_000)
  const mailbox = createMailbox(bull, env.prefix, leases)
  const pools = createPoolClient(bull, redisUrl(), env.prefix)
  const deliverer = createDeliverer({ storage, mailbox, pools, clock: systemClock, log, observer: NOOP_OBSERVER })
  const rows = await storage.outreach.deliveries.inStatus(stored.id, 'pending', SENT_SAMPLE)
  const started = performance.now()
  const concurrency = 16
  for (let i = 0; i < rows.length; i += concurrency) await Promise.all(rows.slice(i, i + concurrency).map((d) => deliverer.send(d, stored)))
  const perS = rows.length / ((performance.now() - started) / 1000)
  await pools.close()
  await mailbox.close()
  return { perS, sent: rows.length }
}

try {
  progress(`seeding ${AUDIENCE} customers`)
  await seed()
  await earlierMessages()
  const naive = await naivePerS()
  progress(`baseline (one customer at a time): ${round(naive)} decided/s`)
  const decided = await decidedPerS()
  progress(`outcomes: ${JSON.stringify(decided.progress)}`)
  const sent = await sentPerS()
  console.log(JSON.stringify({
    bench: 'outreach', audience: AUDIENCE, decided_per_s: round(decided.perS, 0), sent_per_s: round(sent.perS, 0),
    sent_sample: sent.sent, baseline_one_at_a_time_decided_per_s: round(naive, 0), bar_decided_per_s: 5000,
    skipped_by_reason: decided.progress.skippedByReason, deferred: decided.progress.byStatus.deferred ?? 0,
  }))
} finally {
  await deleteKeys(env.prefix, redis)
  bull.disconnect()
  redis.disconnect()
  await env.cleanup()
}
