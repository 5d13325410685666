// The runtime touches BullMQ's private key layout in three places: the ordered takeover (takeover.ts, run by the
// lease claim), the lease release's look at waiting mail (lease.ts) and the job scrubber (job-scrubber.ts), and takes
// mail with BullMQ's own scripts outside a Worker, through handles that are BullMQ `MinimalQueue`s rather than Queues
// (mailbox-jobs.ts, mailbox-handles.ts). bullmq is pinned to an exact version; this contract fails if an upgrade
// moves the keys or changes what those scripts do, and tsc fails if a MinimalQueue must carry something new.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createMailboxJobs } from '../../queues/mailbox-jobs.ts'
import { createLeases, createMailbox, createRedis, names } from '../../queues/index.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { turn } from '../support/traffic.ts'

const ROOT = join(import.meta.dir, '..', '..')
let redis: TestRedis
const conversation = 'contract-1'

beforeAll(async () => {
  redis = await createTestRedis()
})

afterAll(() => redis.cleanup())

test('bullmq is pinned to the exact version installed', () => {
  const pinned = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies.bullmq
  const installed = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'bullmq', 'package.json'), 'utf8')).version
  expect(pinned).toBe(installed)
})

test('mail sits in the keys the takeover and the scrubber use, and is taken, taken over and completed in order', async () => {
  const connection = createRedis(redis.url, 'contract')
  const mailbox = createMailbox(connection, redis.prefix, createLeases(connection, redis.prefix, 'contract', 1000))
  const jobs = createMailboxJobs(connection, { prefix: redis.prefix, token: 'owner-a' })
  const base = `${redis.prefix}:${names.mailbox(conversation)}:`
  try {
    for (const id of ['c-1', 'c-2']) await mailbox.send(turn(conversation, id, id))
    // Waiting mail: a list taken from its right end, one hash per job holding the payload.
    expect(await redis.client.lrange(`${base}wait`, 0, -1)).toEqual(['c-2', 'c-1'])
    expect(JSON.parse((await redis.client.hget(`${base}c-1`, 'data'))!).id).toBe('c-1')

    const first = await jobs.fetch(conversation)
    expect(first?.id).toBe('c-1')
    expect(await redis.client.lrange(`${base}active`, 0, -1)).toEqual(['c-1'])
    expect(await redis.client.get(`${base}c-1:lock`)).toBe('owner-a')

    // A new owner claims the conversation's activation request (the first owner died without a lease): the lock
    // goes, the message is next in line again, and counted as redelivered.
    const successor = createLeases(connection, redis.prefix, 'owner-b', 1000)
    expect(await successor.claim(10)).toEqual({ claimed: [conversation], local: [], left: 0 })
    expect(await redis.client.exists(`${base}c-1:lock`)).toBe(0)
    expect(await redis.client.lrange(`${base}wait`, 0, -1)).toEqual(['c-2', 'c-1'])
    // The old owner can no longer complete what was taken over.
    await expect(jobs.complete(conversation, first!, 'done')).rejects.toThrow()

    const again = await jobs.fetch(conversation)
    expect(again?.id).toBe('c-1')
    expect(Number(await redis.client.hget(`${base}c-1`, 'stc'))).toBe(1)
    const next = await jobs.complete(conversation, again!, 'done')
    expect(next?.id).toBe('c-2')
    expect(await redis.client.zrange(`${base}completed`, 0, -1)).toEqual(['c-1'])
    expect(await jobs.complete(conversation, next!, 'forget')).toBeUndefined()
    expect(await redis.client.exists(`${base}c-2`)).toBe(0)

    // Mail rung to an owner that gives its lease up is seen waiting by the release, and handed back as a request.
    await mailbox.send(turn(conversation, 'c-3', 'c-3'))
    expect(await redis.client.llen(names.activationRequests(redis.prefix))).toBe(0)
    await successor.release(conversation)
    expect(await redis.client.lrange(names.activationRequests(redis.prefix), 0, -1)).toEqual([conversation])
  } finally {
    await jobs.close()
    await mailbox.close()
    connection.disconnect()
  }
})
