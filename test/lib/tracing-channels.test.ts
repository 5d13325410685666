// ioredis traces a command only when its tracing channel has subscribers; on Bun that check needs the polyfill the
// Redis clients import. Without it every command pays for tracing nobody reads, and with it tracing still works.
import { afterAll, expect, test } from 'bun:test'
import diagnostics from 'node:diagnostics_channel'
import { createRedis } from '../../queues/index.ts'

const redis = createRedis(process.env.REDIS_URL!, 'tracing-channels-test')

afterAll(() => redis.disconnect())

test('a tracing channel has subscribers only while one of its events has one', () => {
  const channel = diagnostics.tracingChannel('switchboard:test')
  expect(channel.hasSubscribers).toBe(false)
  const onError = () => {}
  channel.error.subscribe(onError)
  expect(channel.hasSubscribers).toBe(true)
  channel.error.unsubscribe(onError)
  expect(channel.hasSubscribers).toBe(false)
})

test("ioredis's command channel is quiet until someone subscribes, and then traces each command", async () => {
  await redis.ping() // connected and ready-checked first: only the command under test is traced
  const commands = diagnostics.tracingChannel('ioredis:command')
  expect(commands.hasSubscribers).toBe(false)
  const started: string[] = []
  const onStart = (context: unknown) => void started.push((context as { command: string }).command)
  commands.start.subscribe(onStart)
  try {
    await redis.ping()
  } finally {
    commands.start.unsubscribe(onStart)
  }
  await redis.ping()
  expect(started).toEqual(['ping'])
})
