// Hot reload of the routing policy file: a changed file takes effect without a restart, a bad one keeps the
// last good policy and logs why, and the gateway records the version that decided each call.
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Logger } from '../../../lib/log.ts'
import { loadRoutingPolicy } from '../../../policy/index.ts'
import { createLocalProvider, createRoutingGateway, requireProviders, watchPolicyFile } from '../../../providers/index.ts'
import { createRoutingState } from '../../../storage/index.ts'
import { createTestRedis } from '../../support/redis.ts'
import { waitFor } from '../../support/wait.ts'

const EXAMPLE = readFileSync(join(import.meta.dir, '..', '..', '..', 'policies', 'routing.example.yaml'), 'utf8')
const dir = mkdtempSync(join(tmpdir(), 'routing-policy-'))
const path = join(dir, 'routing.yaml')
const redis = await createTestRedis()
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  await redis.cleanup()
})

function recordingLog(): Logger & { lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = []
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields })
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

const withVersion = (v: string) => EXAMPLE.replace('version: "2026-05-01.1"', `version: "${v}"`)

describe('policy file hot reload', () => {
  test('reloads a changed file, keeps the last good one on a bad change, and logs the problems', async () => {
    writeFileSync(path, withVersion('v1'))
    const log = recordingLog()
    const file = watchPolicyFile({ path, parse: loadRoutingPolicy, log, pollMs: 30 })
    try {
      const gateway = createRoutingGateway({ policy: file.current, providers: { local: createLocalProvider() }, state: createRoutingState(redis.client, redis.prefix), log })
      const facts = { tenantId: 't', agent: 'retail', conversationId: 'c1', intent: 'track_order' }
      const ask = { messages: [{ role: 'user' as const, content: 'Where is my order #W2378156?' }] }
      expect((await gateway.complete(ask, facts)).policyVersion).toBe('v1')

      writeFileSync(path, withVersion('v2-longer'))
      await waitFor(async () => file.current().version === 'v2-longer', 3000, 'reload to v2')
      expect((await gateway.complete(ask, facts)).policyVersion).toBe('v2-longer')

      writeFileSync(path, withVersion('v3').replace('chain: [local]', 'chain: [gpt-5]'))
      await waitFor(async () => log.lines.some((l) => l.level === 'error'), 3000, 'rejection logged')
      expect(file.current().version).toBe('v2-longer')
      const rejected = log.lines.find((l) => l.level === 'error')!
      expect(rejected.msg).toContain('keeping the last good version')
      expect(String((rejected.fields?.error as Error).message)).toContain('/spec/rules/0/chain/0: unknown model "gpt-5"')
    } finally {
      file.close()
    }
  })

  test('refuses to start on an invalid first version', () => {
    writeFileSync(path, 'apiVersion: switchboard.dev/v1alpha1\nkind: RoutingPolicy\n')
    expect(() => watchPolicyFile({ path, parse: loadRoutingPolicy, log: recordingLog() })).toThrow('/spec')
  })

  test('a policy naming a provider this process lacks is rejected', () => {
    writeFileSync(path, withVersion('v5'))
    const parse = (text: string, source: string) => requireProviders(loadRoutingPolicy(text, source), { local: createLocalProvider() })
    expect(() => watchPolicyFile({ path, parse, log: recordingLog() })).toThrow('routing policy v5: no provider named openai (configured: local)')
  })

  test('an unchanged file is not re-parsed', () => {
    writeFileSync(path, withVersion('v9'))
    let parses = 0
    const file = watchPolicyFile({ path, parse: (t, s) => (parses++, loadRoutingPolicy(t, s)), log: recordingLog(), pollMs: 10_000 })
    expect(file.check()).toBe(false)
    expect(parses).toBe(1)
    file.close()
  })
})
