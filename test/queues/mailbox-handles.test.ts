// Mailbox handles are BullMQ `MinimalQueue`s over one shared connection: however many conversations pass through,
// they add nothing to the connection, and each names its own mailbox's keys.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createMailboxJobs } from '../../queues/mailbox-jobs.ts'
import { createLeases, createMailbox, createRedis } from '../../queues/index.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { turn } from '../support/traffic.ts'

let redis: TestRedis

beforeAll(async () => {
  redis = await createTestRedis()
})

afterAll(() => redis.cleanup())

const EVENTS = ['error', 'close', 'ready', 'end'] as const
const listeners = (connection: ReturnType<typeof createRedis>) => EVENTS.map((e) => connection.listenerCount(e))

test('mail to hundreds of mailboxes adds no listener to the shared connection and is counted and taken per mailbox', async () => {
  const connection = createRedis(redis.url, 'mailbox-handles-test')
  const mailbox = createMailbox(connection, redis.prefix, createLeases(connection, redis.prefix, 'handles-test', 1000))
  const jobs = createMailboxJobs(connection, { prefix: redis.prefix, token: 'owner-a' })
  const before = listeners(connection)
  const ids = Array.from({ length: 300 }, (_, i) => `mh-${i}`)
  try {
    for (const id of ids) await mailbox.send(turn(id, `${id}-a`, 'a'))
    await mailbox.send(turn('mh-7', 'mh-7-b', 'b'))
    expect(listeners(connection)).toEqual(before)

    expect(await mailbox.backlog('mh-7')).toBe(2)
    expect(await mailbox.backlog('mh-8')).toBe(1)
    expect(await jobs.waiting(['mh-7', 'mh-8', 'mh-none'])).toBe(3)

    const first = await jobs.fetch('mh-7')
    expect(first?.id).toBe('mh-7-a')
    expect(first?.data.conversationId).toBe('mh-7')
    // Taken mail is no longer waiting; the next message comes with the completion, from the same mailbox.
    expect(await mailbox.backlog('mh-7')).toBe(1)
    const second = await jobs.complete('mh-7', first!, 'done')
    expect(second?.id).toBe('mh-7-b')
    expect(await jobs.complete('mh-7', second!, 'done')).toBeUndefined()
    expect(await jobs.fetch('mh-7')).toBeUndefined()
    expect((await jobs.fetch('mh-299'))?.id).toBe('mh-299-a')
    expect(listeners(connection)).toEqual(before)
  } finally {
    await jobs.close()
    await mailbox.close()
    connection.disconnect()
  }
})
