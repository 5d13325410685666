// Erasure's sweep of BullMQ: every job of the erased conversations leaves their mailboxes, the pools and the
// dead-letter queue, with the events that carried results; other conversations' jobs stay; a job being
// handled stops the sweep as retryable.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Queue, Worker, type Job } from 'bullmq'
import type Redis from 'ioredis'
import { RetryableError } from '../../lib/errors.ts'
import { createDeadLetter, createJobScrubber, createRedis, names, type DeadLetter, type JobScrubber } from '../../queues/index.ts'
import { keysHolding } from '../support/redis-search.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { waitFor } from '../support/wait.ts'

let redis: TestRedis
let bull: Redis
let deadLetter: DeadLetter
let scrub: JobScrubber
const queues: Queue[] = []
const ERASE = 'c-erase'
const KEEP = 'c-keep'
const HOUR = 3_600_000

const message = (conversationId: string, id: string, text: string) =>
  ({ v: 1, id, kind: 'turn.received', conversationId, sentAt: Date.now(), payload: { text } })

function queue(name: string): Queue {
  const q = new Queue(name, { connection: bull, prefix: redis.prefix, skipVersionCheck: true })
  queues.push(q)
  return q
}

/** Runs a Worker on the queue until `count` jobs have finished (completed or failed). */
async function handle(name: string, count: number, processor: (job: Job) => Promise<unknown>): Promise<void> {
  const worker = new Worker(name, processor, { connection: bull, prefix: redis.prefix, skipVersionCheck: true })
  const q = queue(name)
  await waitFor(async () => (await q.getCompletedCount()) + (await q.getFailedCount()) >= count, 10_000, `${count} jobs of ${name}`)
  await worker.close()
}

beforeAll(async () => {
  redis = await createTestRedis()
  bull = createRedis(redis.url, 'scrubber-test')
  deadLetter = createDeadLetter(bull, redis.prefix)
  scrub = createJobScrubber(bull, redis.prefix)
  const mailbox = queue(names.mailbox(ERASE))
  await mailbox.add('turn.received', message(ERASE, 'm1', 'SECRET handled'), { jobId: 'm1' })
  await mailbox.add('turn.received', message(ERASE, 'm2', 'SECRET failing'), { jobId: 'm2' })
  await handle(names.mailbox(ERASE), 2, async (job) => {
    if (job.data.payload.text.includes('failing')) throw new Error('turn failed')
  })
  await mailbox.add('turn.received', message(ERASE, 'm3', 'SECRET waiting'), { jobId: 'm3' })
  await mailbox.add('turn.received', message(ERASE, 'm4', 'SECRET delayed'), { jobId: 'm4', delay: HOUR })
  await queue(names.mailbox(KEEP)).add('turn.received', message(KEEP, 'k1', 'KEEP waiting'), { jobId: 'k1' })

  const history = [{ role: 'customer', text: 'SECRET in history' }]
  await queue(names.pool('provider')).add('provider.complete', { ...message(ERASE, 'p1', ''), payload: { history } }, { jobId: 'p1' })
  await handle(names.pool('provider'), 1, async () => ({ text: 'SECRET reply' }))
  const outreach = queue(names.pool('outreach'))
  for (const [id, c] of [['o1', ERASE], ['o2', KEEP]] as const) {
    await outreach.add('outreach.send', message(c, id, `${c === ERASE ? 'SECRET' : 'KEEP'} outreach`), { jobId: id, delay: HOUR })
  }

  const dead = { jobId: 'x', kind: 'tool.invoke', reason: 'tool.failed', errors: [] }
  await deadLetter.add({ ...dead, source: names.pool('tool'), data: message(ERASE, 't1', 'SECRET dead tool call') })
  await deadLetter.add({ ...dead, source: names.mailbox(ERASE), data: { v: 2, text: 'SECRET invalid mail' } })
  await deadLetter.add({ ...dead, source: names.pool('tool'), data: message(KEEP, 't2', 'KEEP dead tool call') })
})

afterAll(async () => {
  await Promise.all(queues.map((q) => q.close()))
  await deadLetter.close()
  bull.disconnect()
  await redis.cleanup()
})

describe('job scrubber', () => {
  test("removes every job of the conversation, and the events that carried their results, and nobody else's", async () => {
    expect(await keysHolding(redis.client, redis.prefix, 'SECRET')).not.toEqual([])
    // 4 mail, a provider call, an outreach, 2 dead letters
    expect(await scrub([ERASE])).toBe(8)
    expect(await keysHolding(redis.client, redis.prefix, 'SECRET')).toEqual([])
    expect(await keysHolding(redis.client, redis.prefix, 'KEEP')).toHaveLength(3)
    expect(await scrub([ERASE])).toBe(0)
  })

  test('a job being handled stops the sweep as retryable; the mail behind it is gone, and a retry finishes', async () => {
    const name = names.mailbox('c-busy')
    const mailbox = queue(name)
    let release = () => {}
    const worker = new Worker(name, () => new Promise<void>((resolve) => (release = resolve)), {
      connection: bull, prefix: redis.prefix, skipVersionCheck: true,
    })
    await mailbox.add('turn.received', message('c-busy', 'b1', 'BUSY handled'), { jobId: 'b1' })
    await waitFor(async () => (await mailbox.getActiveCount()) === 1, 10_000, 'the job to be active')
    await mailbox.add('turn.received', message('c-busy', 'b2', 'BUSY waiting'), { jobId: 'b2' })

    const refused = await scrub(['c-busy']).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(RetryableError)
    expect(refused).toMatchObject({ code: 'conflict', retryAfterMs: 5000 })
    expect(await keysHolding(redis.client, redis.prefix, 'BUSY waiting')).toEqual([])

    release()
    await waitFor(async () => (await mailbox.getCompletedCount()) === 1, 10_000, 'the job to complete')
    await worker.close()
    expect(await scrub(['c-busy'])).toBe(1)
    expect(await keysHolding(redis.client, redis.prefix, 'BUSY')).toEqual([])
  })

  test('no conversations, or none with jobs, is no work', async () => {
    expect(await scrub([])).toBe(0)
    expect(await scrub(['c-unknown'])).toBe(0)
  })
})
