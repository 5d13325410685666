// Activation takes a conversation's first message while its state loads: that message is still handled first and
// once, and when the state cannot be loaded it goes back to the front of the mailbox for the next activation.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test'
import type Redis from 'ioredis'
import type { ActorFactory, Message } from '../../actors/protocol.ts'
import { createLogger } from '../../lib/log.ts'
import {
  createActorHost, createDeadLetter, createLeases, createMailbox, createRedis, type ActorHost, type DeadLetter, type MailboxSender,
} from '../../queues/index.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { turn } from '../support/traffic.ts'
import { waitFor } from '../support/wait.ts'

let redis: TestRedis
let connection: Redis
let mailbox: MailboxSender
let deadLetter: DeadLetter
let host: ActorHost | undefined

beforeAll(async () => {
  redis = await createTestRedis()
  connection = createRedis(redis.url, 'activation-test')
  mailbox = createMailbox(connection, redis.prefix, createLeases(connection, redis.prefix, 'sender', 2000))
  deadLetter = createDeadLetter(connection, redis.prefix)
})

afterEach(async () => {
  await host?.close(2000)
  host = undefined
})

afterAll(async () => {
  await mailbox.close()
  await deadLetter.close()
  connection.disconnect()
  await redis.cleanup()
})

/** A host whose actors record what they handle; `load` runs as each activation loads its state. */
function startHost(load: (conversationId: string) => Promise<void>): string[] {
  const handled: string[] = []
  const factory: ActorFactory = async (conversationId) => {
    await load(conversationId)
    return {
      handle: async (msg: Message) => (handled.push(msg.id), 'done'),
      giveUp: async () => {},
    }
  }
  const ownerId = `worker-${crypto.randomUUID().slice(0, 8)}`
  host = createActorHost(
    { prefix: redis.prefix, ownerId, maxActive: 10, idleTimeoutMs: 200, leaseTtlMs: 2000, turnAttempts: 3, outageRetryMs: 0 },
    { connection, leases: createLeases(connection, redis.prefix, ownerId, 2000), mailbox, deadLetter, factory, log: createLogger() },
  )
  return handled
}

describe('activation', () => {
  test('mail sent while the state loads is handled after the first message, each once, in order', async () => {
    let loading = 0
    const handled = startHost(async () => {
      loading++
      await Bun.sleep(300)
    })
    await mailbox.send(turn('slow-load', 'slow-load-m0', 'm0'))
    await waitFor(async () => loading === 1, 5000, 'activation')
    for (let i = 1; i < 4; i++) await mailbox.send(turn('slow-load', `slow-load-m${i}`, `m${i}`))
    await waitFor(async () => handled.length === 4, 5000, 'four messages')
    await waitFor(async () => host!.activeCount() === 0, 5000, 'passivation')
    expect(handled).toEqual(['slow-load-m0', 'slow-load-m1', 'slow-load-m2', 'slow-load-m3'])
  })

  test('a failed activation hands the message it took back: the next activation handles it, once', async () => {
    let attempts = 0
    const handled = startHost(async () => {
      if (++attempts === 1) throw new Error('state could not be loaded')
    })
    // One message only: with nothing else waiting, nothing but the hand-back wakes the conversation again.
    await mailbox.send(turn('failing-load', 'failing-load-m0', 'm0'))
    await waitFor(async () => handled.length === 1, 10_000, 'the message after the retry')
    await waitFor(async () => host!.activeCount() === 0, 5000, 'passivation')
    expect(attempts).toBe(2)
    expect(handled).toEqual(['failing-load-m0'])
  })
})
