// A team defines an agent through the API: an HTTP tool of its own (served here on loopback) with a credential
// from a tenant secret, and a vendor model (the emulator's OpenAI API) that calls it. The customer's message is
// answered through the tool, the WRITE runs exactly once, and the turn records the agent version it ran.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startAgentsHarness, type AgentsHarness } from './harness.ts'

let h: AgentsHarness
let server: ReturnType<typeof Bun.serve>
const received: Array<{ body: any; auth: string | null; key: string | null }> = []

beforeAll(async () => {
  server = Bun.serve({
    port: 0, hostname: '127.0.0.1',
    async fetch(req) {
      received.push({ body: await req.json(), auth: req.headers.get('authorization'), key: req.headers.get('idempotency-key') })
      return Response.json({ label: 'RL-0042', carrier: 'ParcelCo' })
    },
  })
  h = await startAgentsHarness()
})
afterAll(async () => {
  await h.close()
  await server.stop(true)
})

const TOOL = {
  description: 'Creates a prepaid return label for an order.',
  type: 'WRITE',
  parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
}

test('an agent defined through the API answers through its own HTTP tool, once, with the secret it names', async () => {
  expect((await h.call('PUT', '/v1/secrets/labels-token', { value: 'tok-3141' })).status).toBe(200)
  await h.put('tools', 'create_return_label', {
    ...TOOL, http: { url: `http://127.0.0.1:${server.port}/labels`, auth: { scheme: 'Bearer', secretRef: { secret: 'labels-token' } } },
  })
  const agent = await h.put('agents', 'returns', {
    instructions: 'You help {{tenant.id}} customers return parcels.', model: { provider: 'openai', model: 'gpt-4o-mini' },
    tools: ['create_return_label'],
  })
  expect(agent).toMatchObject({ name: 'returns', scope: 'tenant', version: 1 })
  h.emu.script(
    { match: { textIncludes: 'return label' }, reply: { toolCalls: [{ name: 'create_return_label', arguments: { order_id: '#W1001' } }] } },
    { match: { textIncludes: 'RL-0042' }, reply: { text: 'Your return label RL-0042 from ParcelCo is ready.' } },
  )
  const conversationId = await h.newConversation('returns')
  const turnId = await h.post(conversationId, 'I need a return label for #W1001')
  expect(await h.reply(turnId)).toBe('Your return label RL-0042 from ParcelCo is ready.')

  expect(received).toHaveLength(1)
  expect(received[0]).toMatchObject({ body: { order_id: '#W1001' }, auth: 'Bearer tok-3141' })
  expect(received[0]!.key).toBeTruthy()
  const [first] = h.emu.requests
  expect(first!.system).toContain(`You help acme customers return parcels.`)
  expect(first!.toolNames.sort()).toEqual(['create_return_label', 'transfer_to_human'])
  const calls = await h.db.sql`select tool, ok, conversation_id from tool_calls where tool = 'create_return_label'`
  expect([...calls]).toEqual([{ tool: 'create_return_label', ok: true, conversation_id: conversationId }])
  const [facts] = await h.db.sql`select agent, agent_scope, agent_version from turn_facts where turn_id = ${turnId}`
  expect(facts).toEqual({ agent: 'returns', agent_scope: 'acme', agent_version: 1 })
})

test('the secret never comes back: not from the secrets list, not in the tool definition', async () => {
  const secrets = await h.call('GET', '/v1/secrets')
  expect(JSON.stringify(secrets.body)).not.toContain('tok-3141')
  const tool = await h.call('GET', '/v1/tools/create_return_label')
  expect(JSON.stringify(tool.body)).not.toContain('tok-3141')
  expect(tool.body.spec.http.auth.secretRef).toEqual({ secret: 'labels-token' })
})

test('bad definitions are refused with the path of each problem, and change nothing', async () => {
  const bad = await h.call('PUT', '/v1/agents/returns', { spec: { instructions: 'Hi {{customer.shoe_size}}', tools: ['nope', 'crm/*'], mode: 'sideways' } })
  expect(bad.status).toBe(422)
  expect(bad.body.error.code).toBe('resource.invalid')
  expect(bad.body.error.details.map((d: { path: string }) => d.path)).toContain('/spec/mode')
  const refs = await h.call('PUT', '/v1/agents/returns', { spec: { instructions: 'Hi {{customer.shoe_size}}', tools: ['nope', 'crm/*'] } })
  expect(refs.status).toBe(422)
  expect(refs.body.error.details).toEqual([
    { path: '/spec/instructions', message: 'unknown variable {{customer.shoe_size}} (define it under variables)' },
  ])
  const tools = await h.call('PUT', '/v1/agents/returns', { spec: { instructions: 'Hi', tools: ['nope', 'crm/*'] } })
  expect(tools.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/spec/tools/0', '/spec/tools/1'])
  const envSecret = await h.call('PUT', '/v1/tools/leaky', {
    spec: { ...TOOL, http: { url: 'https://example.com/x', auth: { secretRef: { env: 'DATABASE_URL' } } } },
  })
  expect(envSecret.status).toBe(422)
  expect(envSecret.body.error.details[0].path).toBe('/spec/http/auth/secretRef/env')
  expect((await h.call('GET', '/v1/agents/returns')).body.version).toBe(1)
  expect((await h.call('GET', '/v1/tools/leaky')).status).toBe(404)
})

test('a conversation with an agent nobody defined is refused', async () => {
  const res = await h.call('POST', '/v1/conversations', { agent: 'ghost' })
  expect(res.status).toBe(404)
  expect(res.body.error.code).toBe('agent.unknown')
})
