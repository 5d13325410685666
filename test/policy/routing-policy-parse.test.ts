// Parsing and validating routing policies: errors name the path, cross-field checks. (The CRD: test/k8s/.)
import { describe, expect, test } from 'bun:test'
import { stringify } from 'yaml'
import { loadRoutingPolicy } from '../../policy/index.ts'

const base = () => ({
  apiVersion: 'switchboard.dev/v1alpha1',
  kind: 'RoutingPolicy',
  metadata: { name: 't' },
  spec: {
    version: '7',
    models: {
      big: { provider: 'openai', model: 'gpt-4o', pricePerMTok: { input: 2.5, output: 10 } },
      local: { provider: 'local', pricePerMTok: { input: 0, output: 0 } },
    },
    rules: [{ name: 'r1', match: { intent: ['x'] }, chain: ['local'] }],
    default: { chain: ['big', 'local'] },
  } as Record<string, unknown>,
})

function errorOf(doc: unknown): string {
  try {
    loadRoutingPolicy(typeof doc === 'string' ? doc : stringify(doc), 'test.yaml')
  } catch (e) {
    expect((e as { code?: string }).code).toBe('config.invalid')
    return (e as Error).message
  }
  throw new Error('expected the policy to be rejected')
}

describe('routing policy validation', () => {
  test('a valid policy compiles with its version and the providers it needs', () => {
    const p = loadRoutingPolicy(stringify(base()))
    expect(p.version).toBe('7')
    expect(p.providers).toEqual(['openai', 'local'])
  })

  test('YAML syntax errors say so', () => {
    expect(errorOf('spec: [unclosed')).toContain('test.yaml')
  })

  test('schema errors name the path', () => {
    const doc = base()
    ;(doc.spec.models as Record<string, unknown>).big = { provider: 'openai', pricePerMTok: { input: -1, output: 1 } }
    expect(errorOf(doc)).toContain('/spec/models/big/pricePerMTok/input')
  })

  test('unknown fields are rejected (a typo must not be ignored)', () => {
    const doc = base()
    doc.spec.rules = [{ name: 'r1', match: { intnet: ['x'] }, chain: ['local'] }]
    expect(errorOf(doc)).toContain('/spec/rules/0/match')
  })

  test('an unknown model in a chain names where it is', () => {
    const doc = base()
    doc.spec.default = { chain: ['big', 'gpt-5'] }
    expect(errorOf(doc)).toContain('/spec/default/chain/1: unknown model "gpt-5"')
  })

  test('a target needs exactly one of chain or split', () => {
    const doc = base()
    doc.spec.rules = [{ name: 'r1', match: {}, chain: ['local'], split: [{ model: 'big', weight: 1 }] }]
    expect(errorOf(doc)).toContain('/spec/rules/0: set exactly one of chain or split')
  })

  test('duplicate rule names and an unknown local model are reported together', () => {
    const doc = base()
    doc.spec.rules = [{ name: 'r', match: {}, chain: ['local'] }, { name: 'r', match: {}, chain: ['big'] }]
    doc.spec.budgets = { localModel: 'nope' }
    const message = errorOf(doc)
    expect(message).toContain('/spec/rules/1/name: duplicate rule name "r"')
    expect(message).toContain('/spec/budgets/localModel: unknown model "nope"')
  })

  test('provider settings merge defaults under each provider', () => {
    const doc = base()
    doc.spec.defaults = { timeoutMs: 5000, retry: { attempts: 3 } }
    doc.spec.providers = { openai: { requestsPerMinute: 10, retry: { maxDelayMs: 100 } } }
    const p = loadRoutingPolicy(stringify(doc))
    expect(p.providerSettings('openai')).toEqual({
      timeoutMs: 5000,
      retry: { attempts: 3, baseDelayMs: 200, maxDelayMs: 100 },
      breaker: { failureThreshold: 5, windowMs: 30_000, openMs: 15_000 },
      rate: { requestsPerMinute: 10, tokensPerMinute: undefined, windowMs: 60_000 },
    })
    expect(p.providerSettings('local').rate.requestsPerMinute).toBeUndefined()
  })
})
