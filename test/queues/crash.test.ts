// kill -9 of a worker in the middle of turns: every accepted message is answered exactly once, and the
// dead worker's conversations are re-activated elsewhere within the lease timeout.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createStorage } from '../../storage/index.ts'
import { startCluster, type Cluster } from '../support/cluster.ts'
import { countReplies, repliesByConversation, sendTurns } from '../support/traffic.ts'
import { waitFor } from '../support/wait.ts'

const CONVERSATIONS = 40
const PER_CONVERSATION = 10
const LEASE_TTL_MS = 2000
let cluster: Cluster

beforeAll(async () => {
  // Slow turns, so the kill lands while turns are in flight.
  cluster = await startCluster(2, { ECHO_DELAY_MS: '40', ACTOR_LEASE_TTL_MS: String(LEASE_TTL_MS) })
})

afterAll(() => cluster.stop())

test('a worker killed mid-turn loses nothing and duplicates nothing', async () => {
  const { db, redis, sender, workers } = cluster
  const ids = Array.from({ length: CONVERSATIONS }, (_, i) => `crash-${i}`)
  const total = CONVERSATIONS * PER_CONVERSATION
  const sending = sendTurns(sender, ids, PER_CONVERSATION)
  await waitFor(async () => (await countReplies(db.sql)) >= total / 4, 30_000, 'a quarter of the replies')
  workers[0]!.kill('SIGKILL')
  const killedAt = Date.now()
  await sending
  const before = await countReplies(db.sql)
  await waitFor(async () => (await countReplies(db.sql)) >= total, 40_000, `${total} replies`)
  expect(before).toBeLessThan(total)
  // Recovery of the dead owner's conversations needs its leases to expire first, then at most a few seconds.
  expect(Date.now() - killedAt).toBeLessThan(LEASE_TTL_MS * 8)

  const replies = await repliesByConversation(db.sql)
  for (const id of ids) {
    expect(replies.get(id)).toEqual(Array.from({ length: PER_CONVERSATION }, (_, i) => `${id}-m${i}`))
  }
  const events = createStorage(db.sql, redis.client, redis.prefix).events
  for (const id of ids) {
    const published = (await events.read(id, '0', { count: 1000 })).filter((e) => e.event.type === 'reply.completed').map((e) => e.event.data.turnId)
    expect(published).toEqual(replies.get(id)!)
  }
  const [calls] = await db.sql<{ n: number; turns: number }[]>`select count(*)::int as n,
    count(distinct turn_id)::int as turns from provider_calls`
  expect(calls!.n).toBe(calls!.turns)
}, 90_000)
