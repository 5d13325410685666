// An AgentPolicy is versioned like an agent: a change reaches both worker processes without a restart, a diff
// names what changed, a restore brings an old version back as a new one, and each turn and decision records the
// version it ran under.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { spawnSwitchboard, type SwitchboardProcess } from '../support/processes.ts'
import { testEnv } from '../support/platform.ts'
import { startAgentsHarness, type AgentsHarness } from '../agents/harness.ts'

let h: AgentsHarness
let workers: SwitchboardProcess[]
let base: Record<string, any>

beforeAll(async () => {
  h = await startAgentsHarness({ ROLE: 'api' })
  workers = [0, 1].map(() => spawnSwitchboard('worker', testEnv(h.redis.prefix, h.db.schema, h.env)))
  await Promise.all(workers.map((w) => w.waitForLog('switchboard started', 30_000)))
  base = { ...(await h.call('GET', '/v1/agentpolicies/retail')).body.spec, tenant: undefined, version: 'shop-1' }
  await h.put('agentpolicies', 'shop', base)
  await h.put('agents', 'shop', { instructions: 'You sell things.', model: { provider: 'openai', model: 'gpt-4o-mini' }, tools: ['retail/*'], policy: 'shop' })
  h.emu.script({ match: (r) => r.lastText.startsWith('tell me about product'), reply: { toolCalls: [{ name: 'get_product_details', arguments: { product_id: '1656367028' } }] }, repeat: true },
    { match: (r) => r.toolResults.length > 0, reply: { text: 'Here is what I found.' }, repeat: true })
}, 60_000)
afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL')
  await Promise.all(workers.map((w) => w.proc.exited))
  await h.close()
})

/** A product question in each of `n` new conversations: the decision on the lookup and the versions each turn recorded. */
async function productTurns(n: number) {
  const out = []
  for (let i = 0; i < n; i++) {
    const conversationId = await h.newConversation('shop')
    const turnId = await h.post(conversationId, `tell me about product 1656367028 (#${i})`)
    await h.reply(turnId, 20_000)
    const [facts] = await h.db.sql`select policy, policy_version from turn_facts where turn_id = ${turnId}`
    const [decision] = (await h.call('GET', `/v1/conversations/${conversationId}/decisions`)).body.data
    out.push(`${facts!.policy}@${facts!.policy_version} ${decision.outcome} ${decision.rule} ${decision.policyVersion}`)
  }
  return out
}

test('a change, then a restore, reach every turn on both workers; turns and decisions record their version', async () => {
  expect(await productTurns(3)).toEqual(Array(3).fill('shop@1 allow default shop-1 (v1)'))
  // Its own examples must agree with the change, or the policy does not load.
  const examples = base.examples.map((e: { tool: string }) => (e.tool === 'get_product_details' ? { ...e, expect: 'deny', rule: 'no-catalogue' } : e))
  const denied = { ...base, version: 'shop-2', examples, tools: [{ name: 'no-catalogue', tools: ['get_product_details'], deny: true }, ...base.tools] }
  expect((await h.put('agentpolicies', 'shop', denied)).version).toBe(2)
  expect(await productTurns(4)).toEqual(Array(4).fill('shop@2 deny no-catalogue shop-2 (v2)'))
  const restored = await h.call('POST', '/v1/agentpolicies/shop/restore', { version: 1 })
  expect(restored.body).toMatchObject({ version: 3, changed: true })
  expect(await productTurns(3)).toEqual(Array(3).fill('shop@3 allow default shop-1 (v3)'))
}, 120_000)

test('the diff between versions names the rule that was added', async () => {
  const diff = (await h.call('GET', '/v1/agentpolicies/shop/diff?from=1&to=2')).body.changes
  expect(diff.map((c: { path: string }) => c.path)).toEqual(['/examples', '/tools', '/version'])
  expect(diff[2]).toMatchObject({ before: 'shop-1', after: 'shop-2' })
})

test('a policy whose rule can never match, or whose example fails, is refused when it loads', async () => {
  const unknownTool = await h.call('PUT', '/v1/agentpolicies/shop', { spec: { ...base, tools: [{ name: 'ghost', tools: ['launch_rocket'], deny: true }] } })
  expect(unknownTool.status).toBe(422)
  expect(unknownTool.body.error.details).toEqual([{ path: '/spec/tools/0/tools/0', message: 'no tool "launch_rocket" in the catalogue' }])
  const badRef = await h.call('PUT', '/v1/agentpolicies/shop', {
    spec: { ...base, tools: [{ name: 'typo', tools: ['cancel_pending_order'], require: [{ value: '$args.orderid', exists: true }], confirm: true }] },
  })
  expect(badRef.body.error.details[0]).toEqual({ path: '/spec/tools/0/require/0', message: 'cancel_pending_order has no argument "orderid"' })
  const wrongExample = await h.call('PUT', '/v1/agentpolicies/shop', {
    spec: { ...base, examples: [{ name: 'cancel without asking', tool: 'cancel_pending_order', args: { order_id: '#W1', reason: 'no longer needed' }, subject: 'u', lookups: { order: { user_id: 'u', status: 'pending', payment_history: [] } }, expect: 'allow' }] },
  })
  expect(wrongExample.status).toBe(422)
  expect(wrongExample.body.error.details[0].message).toContain('expected allow, the policy says confirm')
  expect((await h.call('GET', '/v1/agentpolicies/shop')).body.version).toBe(3)
})
