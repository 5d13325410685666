import { describe, expect, test } from 'bun:test'
import { loadConfig } from '../../lib/config.ts'
import { spawnSwitchboard } from '../support/processes.ts'

describe('configuration', () => {
  test('defaults point at the local services', () => {
    const config = loadConfig({})
    expect(config.api.port).toBe(8080)
    expect(config.redis.url).toBe('redis://127.0.0.1:6379')
    expect(config.actors).toMatchObject({ maxActive: 1000, idleTimeoutMs: 30_000 })
    expect(config.actors.leaseTtlMs).toBeLessThanOrEqual(15_000)
  })

  test('strings from the environment are converted', () => {
    expect(loadConfig({ PORT: '9000', ACTOR_MAX_ACTIVE: '5' })).toMatchObject({ api: { port: 9000 }, actors: { maxActive: 5 } })
  })

  test('every bad field is named on its own line', () => {
    expect(() => loadConfig({ PORT: 'abc', REDIS_URL: 'http://nope', ROLE: 'boss' })).toThrow(/PORT: .*integer/)
    try {
      loadConfig({ PORT: 'abc', REDIS_URL: 'http://nope', ROLE: 'boss' })
    } catch (e) {
      const lines = (e as Error).message.split('\n')
      expect(lines.map((l) => l.split(':')[0]).sort()).toEqual(['PORT', 'REDIS_URL', 'ROLE'])
    }
  })

  test('the process exits non-zero naming the offending field', async () => {
    const sb = spawnSwitchboard('all', { PORT: 'not-a-port', ACTOR_IDLE_TIMEOUT_MS: '-5' })
    expect(await sb.proc.exited).toBe(2)
    await Bun.sleep(50)
    expect(sb.output()).toContain('invalid configuration: PORT: Expected integer')
    expect(sb.output()).toContain('invalid configuration: ACTOR_IDLE_TIMEOUT_MS')
  })
})
