// Price-table math and budget degradation decisions: pure functions, exact numbers.
import { describe, expect, test } from 'bun:test'
import { applyBudget, budgetStatus, costUsd, estimateTokens } from '../../policy/index.ts'

describe('price math', () => {
  const gpt4o = { input: 2.5, output: 10, cached: 1.25 }

  test('each token class at its price per million', () => {
    expect(costUsd(gpt4o, { inputTokens: 1_000_000, outputTokens: 0, cachedTokens: 0 })).toBe(2.5)
    expect(costUsd(gpt4o, { inputTokens: 1200, outputTokens: 350, cachedTokens: 800 })).toBe(0.0075)
    expect(costUsd(gpt4o, { inputTokens: 1, outputTokens: 1, cachedTokens: 1 })).toBe(0.00001375)
  })

  test('cache reads default to the input price', () => {
    expect(costUsd({ input: 3, output: 15 }, { inputTokens: 0, outputTokens: 0, cachedTokens: 2000 })).toBe(0.006)
  })

  test('a free model costs nothing', () => {
    expect(costUsd({ input: 0, output: 0 }, { inputTokens: 5000, outputTokens: 5000, cachedTokens: 5000 })).toBe(0)
  })

  test('rounded to 8 decimals, like provider_calls.cost_usd', () => {
    expect(costUsd({ input: 0.15, output: 0.6 }, { inputTokens: 3, outputTokens: 7, cachedTokens: 0 })).toBe(0.00000465)
  })

  test('estimates four characters a token', () => {
    expect(estimateTokens(401, 300)).toEqual({ inputTokens: 101, outputTokens: 300, cachedTokens: 0 })
  })
})

describe('budget degradation', () => {
  const big = { name: 'big', usd: 0.05 }
  const mini = { name: 'mini', usd: 0.004 }
  const local = { name: 'local', usd: 0 }
  const chain = [big, mini, local]
  const plan = (remaining: number, c = chain, withLocal = true) =>
    applyBudget(c, budgetStatus({ conversationUsd: 0.25 }, { conversation: 0.25 - remaining }), (t) => t.usd, withLocal ? local : undefined)

  test('remaining scopes only for limits that apply', () => {
    const s = budgetStatus({ conversationUsd: 1, customerDailyUsd: 2, tenantMonthlyUsd: 100 }, { conversation: 0.4, tenantDay: 3, tenantMonth: 10 })
    expect(s).toEqual([
      { scope: 'conversation', limitUsd: 1, spentUsd: 0.4, remainingUsd: 0.6 },
      { scope: 'tenantMonth', limitUsd: 100, spentUsd: 10, remainingUsd: 90 },
    ])
  })

  test('within budget the chain is untouched', () => {
    expect(plan(0.2)).toEqual({ chain })
  })

  test('step 1: a cheaper model of the chain', () => {
    const p = plan(0.01)
    expect('chain' in p && p.chain.map((t) => t.name)).toEqual(['mini', 'local'])
    expect('chain' in p && p.step).toContain('budget.conversation: big → mini (cheaper model')
  })

  test('step 2: the local model', () => {
    const p = plan(0.001)
    expect('chain' in p && p.chain.map((t) => t.name)).toEqual(['local'])
    expect('chain' in p && p.step).toContain('big → local (local model')
  })

  test('step 2 also when the chain has no local model', () => {
    const p = plan(0.001, [big, mini])
    expect('chain' in p && p.chain).toEqual([local])
  })

  test('step 3: a spent budget escalates', () => {
    expect(plan(0)).toEqual({ escalate: 'conversation budget of $0.2500 is spent ($0.2500)' })
    expect(plan(-0.01)).toMatchObject({ escalate: expect.stringContaining('is spent') })
  })

  test('no local model and nothing fits escalates', () => {
    expect(plan(0.001, [big, mini], false)).toMatchObject({ escalate: expect.stringContaining('no model fits') })
  })

  test('the tightest scope decides', () => {
    const statuses = budgetStatus({ conversationUsd: 1, tenantDailyUsd: 100 }, { conversation: 0.1, tenantDay: 99.99 })
    const p = applyBudget(chain, statuses, (t) => t.usd, local)
    expect('chain' in p && p.step).toContain('budget.tenantDay: big → mini')
  })
})
