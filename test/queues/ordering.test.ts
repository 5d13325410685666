// 200 conversations x 20 messages across two worker processes: in order, none lost, none duplicated.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createStorage } from '../../storage/index.ts'
import { startCluster, type Cluster } from '../support/cluster.ts'
import { countReplies, repliesByConversation, sendTurns } from '../support/traffic.ts'
import { waitFor } from '../support/wait.ts'

const CONVERSATIONS = 200
const PER_CONVERSATION = 20
let cluster: Cluster

beforeAll(async () => {
  cluster = await startCluster(2)
})

afterAll(() => cluster.stop())

test('every conversation is answered in order, exactly once, by two workers', async () => {
  const { db, redis, sender, workers } = cluster
  const ids = Array.from({ length: CONVERSATIONS }, (_, i) => `order-${i}`)
  await sendTurns(sender, ids, PER_CONVERSATION)
  const total = CONVERSATIONS * PER_CONVERSATION
  await waitFor(async () => (await countReplies(db.sql)) >= total, 60_000, `${total} replies`)

  const replies = await repliesByConversation(db.sql)
  expect(replies.size).toBe(CONVERSATIONS)
  for (const id of ids) {
    expect(replies.get(id)).toEqual(Array.from({ length: PER_CONVERSATION }, (_, i) => `${id}-m${i}`))
  }
  // The reply stream each channel reads carries each reply once, in order.
  const events = createStorage(db.sql, redis.client, redis.prefix).events
  for (const id of ids.slice(0, 20)) {
    const entries = (await events.read(id, '0', { count: 100 })).filter((e) => e.event.type === 'reply.completed')
    expect(entries.map((e) => e.event.data.turnId)).toEqual(replies.get(id)!)
  }
  // Both workers took part.
  const owners = await db.sql`select count(*)::int as n from messages`
  expect(owners[0]!.n).toBe(2 * total)
  expect(workers.every((w) => w.proc.exitCode === null)).toBe(true)
}, 90_000)
