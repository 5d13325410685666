// Budgets through the routing gateway: a breach degrades step by step — a cheaper model of the chain, then the
// local model, then escalation (TerminalError 'budget.exhausted') — with each step recorded, and what is left readable.
import { afterAll, describe, expect, test } from 'bun:test'
import type { AppError } from '../../../lib/errors.ts'
import { ask, createRoutingFixture, ctx, testPolicy } from './routing-fixture.ts'

// 200 output tokens expected per call: gpt-4o ≈ $0.0020, gpt-4o-mini ≈ $0.00012, local $0.
const policy = testPolicy(
  { budgets: { conversationUsd: 0.01, tenantDailyUsd: 0.05, localModel: 'local' } },
  ['gpt-4o', 'gpt-4o-mini', 'local'],
)
const f = await createRoutingFixture(policy)
afterAll(() => f.close())

const usage = (inputTokens: number, outputTokens: number) => ({ text: 'ok', usage: { inputTokens, outputTokens } })

describe('budget degradation, step by step', () => {
  const a = ctx({ tenantId: 'acme-budget', customerId: 'cust-1' })

  test('within budget: the first choice answers and the cost is charged', async () => {
    f.emu.script({ match: { model: 'gpt-4o' }, reply: usage(1000, 600) })
    const out = await f.gateway.complete(ask(undefined, 200), a)
    expect(out).toMatchObject({ path: ['openai:gpt-4o'], costUsd: 0.0085 })
    expect(out.degradedBy).toBeUndefined()
    const left = await f.gateway.remainingBudget(a)
    expect(left.find((s) => s.scope === 'conversation')?.remainingUsd).toBeCloseTo(0.0015, 8)
    expect(left.find((s) => s.scope === 'tenantDay')?.spentUsd).toBeCloseTo(0.0085, 8)
  })

  test('step 1: gpt-4o no longer fits, the cheaper gpt-4o-mini answers', async () => {
    f.emu.script({ match: { model: 'gpt-4o-mini' }, reply: usage(1000, 2100) })
    const out = await f.gateway.complete(ask(undefined, 200), a)
    expect(out.path).toEqual(['openai:gpt-4o-mini'])
    expect(out).toMatchObject({ policyVersion: 'test-1', rule: 'default' })
    expect(out.degradedBy).toStartWith('budget.conversation: gpt-4o → gpt-4o-mini (cheaper model')
    expect(out.costUsd).toBe(0.00141)
  })

  test('step 2: no paid model fits, the local model answers for free', async () => {
    const before = f.emu.requests.length
    const out = await f.gateway.complete(ask('Where is my order #W2378156?', 200), a)
    expect(out.path).toEqual(['local:local'])
    expect(out.degradedBy).toStartWith('budget.conversation: gpt-4o → local (local model')
    expect(out.costUsd).toBe(0)
    expect(f.emu.requests.length).toBe(before)
  })

  test('step 3: a spent budget escalates with the reason', async () => {
    // Another conversation of the tenant overshoots the tenant's daily budget.
    f.emu.script({ match: { model: 'gpt-4o' }, reply: usage(1000, 5000) })
    const b = ctx({ tenantId: 'acme-budget' })
    expect((await f.gateway.complete(ask(undefined, 200), b)).costUsd).toBe(0.0525)
    const error = await f.gateway.complete(ask(undefined, 200), a).then(() => undefined, (e: unknown) => e as AppError)
    expect(error?.name).toBe('TerminalError')
    expect(error?.code).toBe('budget.exhausted')
    expect(error?.message).toContain('tenantDay budget of $0.0500 is spent')
    expect(error?.message).toContain('routing policy test-1')
    const tenantDay = (await f.gateway.remainingBudget(a)).find((s) => s.scope === 'tenantDay')
    expect(tenantDay?.remainingUsd).toBeLessThan(0)
  })

  test('budgets are per tenant: another tenant is untouched', async () => {
    f.emu.script({ match: { model: 'gpt-4o' }, reply: usage(10, 10) })
    const out = await f.gateway.complete(ask(undefined, 200), ctx({ tenantId: 'other' }))
    expect(out.path).toEqual(['openai:gpt-4o'])
  })

  test('per-tenant overrides replace the default limits', async () => {
    f.use(testPolicy({ budgets: { tenantDailyUsd: 0.05, tenants: { 'acme-budget': { tenantDailyUsd: 10 } } } }, ['gpt-4o', 'local']))
    f.emu.script({ match: { model: 'gpt-4o' }, reply: usage(10, 10) })
    const out = await f.gateway.complete(ask(undefined, 200), ctx({ tenantId: 'acme-budget' }))
    expect(out.path).toEqual(['openai:gpt-4o'])
    const left = await f.gateway.remainingBudget({ tenantId: 'acme-budget', conversationId: 'x' })
    expect(left.map((s) => [s.scope, s.limitUsd])).toEqual([['tenantDay', 10]])
  })

  test('the tenant-wide budgets of routed tenants (the metric\'s source) drop by what each call cost', async () => {
    f.use(testPolicy({ budgets: { conversationUsd: 1, tenantDailyUsd: 0.05 } }, ['gpt-4o', 'local']))
    const tenantDay = async () => (await f.gateway.tenantBudgets()).find((b) => b.tenantId === 'metered' && b.scope === 'tenantDay')
    expect(await tenantDay()).toBeUndefined()
    f.emu.script({ match: { model: 'gpt-4o' }, reply: usage(1000, 600), times: 2 })
    const first = await f.gateway.complete(ask(undefined, 200), ctx({ tenantId: 'metered' }))
    expect(first.costUsd).toBe(0.0085)
    expect((await tenantDay())?.remainingUsd).toBeCloseTo(0.05 - first.costUsd, 8)
    const second = await f.gateway.complete(ask(undefined, 200), ctx({ tenantId: 'metered' }))
    expect((await tenantDay())?.remainingUsd).toBeCloseTo(0.05 - first.costUsd - second.costUsd, 8)
    // A conversation's or a customer's budget is no tenant-wide series.
    expect(new Set((await f.gateway.tenantBudgets()).map((b) => b.scope))).toEqual(new Set(['tenantDay']))
  })
})
