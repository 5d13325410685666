// The routing decision table: which rule and chain each request gets under the shipped example policy.
import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadRoutingPolicy, type RouteFacts } from '../../policy/index.ts'

const EXAMPLE = join(import.meta.dir, '..', '..', 'policies', 'routing.example.yaml')
const policy = loadRoutingPolicy(readFileSync(EXAMPLE, 'utf8'), EXAMPLE)

type Row = [label: string, facts: RouteFacts, random: number, rule: string, chain: string[]]
const retail = { agent: 'retail' }

const table: Row[] = [
  ['order status goes local', { ...retail, intent: 'track_order' }, 0.5, 'tier1-intents-local', ['local']],
  ['cancellation goes local', { ...retail, intent: 'cancel_order' }, 0.5, 'tier1-intents-local', ['local']],
  ['password help goes local', { ...retail, intent: 'recover_password' }, 0.99, 'tier1-intents-local', ['local']],
  ['tier-1 beats vip', { ...retail, intent: 'get_refund', segment: 'vip' }, 0.5, 'tier1-intents-local', ['local']],
  ['assist mode is cheap', { ...retail, intent: 'complaint', maturity: 'assist' }, 0.5, 'assist-mode-cheap', ['gpt-4o-mini', 'local']],
  ['assist beats vip (first match)', { ...retail, maturity: 'assist', segment: 'vip' }, 0.5, 'assist-mode-cheap', ['gpt-4o-mini', 'local']],
  ['vip gets the best model', { ...retail, intent: 'complaint', segment: 'vip', maturity: 'operate' }, 0.5, 'vip-best-model', ['gpt-4o', 'gpt-4o-mini', 'local']],
  ['other segment falls to default', { ...retail, segment: 'smb' }, 0.2, 'default', ['gpt-4o-mini', 'gpt-4o', 'local']],
  ['default split, low draw', { ...retail, intent: 'complaint' }, 0.0, 'default', ['gpt-4o-mini', 'gpt-4o', 'local']],
  ['default split, draw just under 90%', { ...retail, intent: 'complaint' }, 0.899, 'default', ['gpt-4o-mini', 'gpt-4o', 'local']],
  ['default split, draw at 90%', { ...retail, intent: 'complaint' }, 0.9, 'default', ['gpt-4o', 'gpt-4o-mini', 'local']],
  ['default split, top draw', { ...retail, channel: 'email' }, 0.9999, 'default', ['gpt-4o', 'gpt-4o-mini', 'local']],
  ['no intent at all', { agent: 'billing' }, 0.5, 'default', ['gpt-4o-mini', 'gpt-4o', 'local']],
  ['execute maturity is not assist', { ...retail, maturity: 'execute' }, 0.5, 'default', ['gpt-4o-mini', 'gpt-4o', 'local']],
]

describe('routing decision table (policies/routing.example.yaml)', () => {
  test.each(table)('%s', (_label, facts, random, rule, chain) => {
    const decision = policy.route(facts, random)
    expect(decision.rule).toBe(rule)
    expect(decision.chain.map((t) => t.name)).toEqual(chain)
    expect(decision.version).toBe('2026-05-01.1')
  })

  test('targets carry the provider and the vendor model id', () => {
    const [first] = policy.route({ agent: 'retail', segment: 'vip' }, 0).chain
    expect(first).toMatchObject({ name: 'gpt-4o', provider: 'openai', model: 'gpt-4o' })
  })

  test('a split sends about its weight to each model', () => {
    const counts = { 'gpt-4o': 0, 'gpt-4o-mini': 0 }
    for (let i = 0; i < 1000; i++) counts[policy.route({ agent: 'x' }, i / 1000).chain[0]!.name as keyof typeof counts]++
    expect(counts).toEqual({ 'gpt-4o-mini': 900, 'gpt-4o': 100 })
  })
})

describe('matching rules on every field', () => {
  const spec = (match: Record<string, string[]>) => `
apiVersion: switchboard.dev/v1alpha1
kind: RoutingPolicy
metadata: { name: t }
spec:
  version: "1"
  models: { a: { provider: p, pricePerMTok: { input: 1, output: 1 } }, b: { provider: p, pricePerMTok: { input: 1, output: 1 } } }
  rules: [{ name: r, match: ${JSON.stringify(match)}, chain: [a] }]
  default: { chain: [b] }
`
  test.each([
    ['agent', { agent: ['retail'] }, { agent: 'retail' }, { agent: 'billing' }],
    ['intent', { intent: ['x', 'y'] }, { agent: 'a', intent: 'y' }, { agent: 'a' }],
    ['maturity', { maturity: ['operate'] }, { agent: 'a', maturity: 'operate' }, { agent: 'a', maturity: 'assist' }],
    ['segment', { segment: ['vip'] }, { agent: 'a', segment: 'vip' }, { agent: 'a', segment: 'smb' }],
    ['channel', { channel: ['chat'] }, { agent: 'a', channel: 'chat' }, { agent: 'a', channel: 'email' }],
  ] as Array<[string, Record<string, string[]>, RouteFacts, RouteFacts]>)('%s', (_field, match, hit, miss) => {
    const p = loadRoutingPolicy(spec(match))
    expect(p.route(hit, 0).rule).toBe('r')
    expect(p.route(miss, 0).rule).toBe('default')
  })
})
