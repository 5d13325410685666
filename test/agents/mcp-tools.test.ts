// MCP servers in an agent's catalogue, over streamable HTTP (declared by the tenant through the API) and stdio
// (declared by the operator as a file, since it runs a command on the workers): the vendor model calls their tools
// and the customer is answered from the results. A server that cannot load, or an HTTP tool that times out, is
// withdrawn with its reason, and the worker keeps serving other agents.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { runAdminCommand } from '../../api/index.ts'
import { createFixtureServer } from '../tools/fixtures/mcp-server.ts'
import { waitFor } from '../support/wait.ts'
import { startAgentsHarness, TENANT, type AgentsHarness } from './harness.ts'

let h: AgentsHarness
let mcp: ReturnType<typeof Bun.serve>
let slow: ReturnType<typeof Bun.serve>
const dir = mkdtempSync(join(tmpdir(), 'mcp-agents-'))
const FIXTURE = join(import.meta.dir, '..', 'tools', 'fixtures', 'mcp-server.ts')
const MODEL = { provider: 'openai', model: 'gpt-4o-mini' }

beforeAll(async () => {
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID() })
  await createFixtureServer().connect(transport)
  mcp = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (req) => transport.handleRequest(req) })
  // Answers after the tool's deadline: every call times out.
  slow = Bun.serve({ port: 0, hostname: '127.0.0.1', idleTimeout: 0, fetch: async () => (await Bun.sleep(3000), Response.json({ late: true })) })
  h = await startAgentsHarness()
})
afterAll(async () => {
  await h.close()
  await mcp.stop(true)
  await slow.stop(true)
  rmSync(dir, { recursive: true, force: true })
})

/** Scripts the model to call `tool` when the customer says `cue`, then to answer with the tool's result. */
function scriptToolUse(cue: string, tool: string, args: Record<string, unknown>, answer: (result: string) => string, marker: string) {
  h.emu.script(
    { match: { textIncludes: cue }, reply: { toolCalls: [{ name: tool, arguments: args }] } },
    { match: { textIncludes: marker }, reply: { text: answer(marker) } },
  )
}

async function ask(agent: string, text: string): Promise<string> {
  const conversationId = await h.newConversation(agent)
  return h.reply(await h.post(conversationId, text))
}

test('tools of an MCP server over streamable HTTP, declared through the API', async () => {
  await h.put('mcpservers', 'calc', { transport: { http: { url: `http://127.0.0.1:${mcp.port}/mcp` } } })
  await h.put('agents', 'calc-http', { instructions: 'You add numbers.', model: MODEL, tools: ['calc/*'] })
  scriptToolUse('add 2 and 40', 'calc_add', { a: 2, b: 40 }, (r) => `The sum is ${r}.`, '42')
  expect(await ask('calc-http', 'please add 2 and 40')).toBe('The sum is 42.')
  const offered = h.emu.requests.find((r) => r.lastText.includes('add 2 and 40'))!.toolNames
  expect(offered.sort()).toEqual(['calc_add', 'calc_bump', 'calc_refuse', 'calc_slow', 'transfer_to_human'])
  const catalogue = (await h.call('GET', '/v1/tool-catalogue')).body.data
  expect(catalogue.find((s: { source: string }) => s.source === 'calc')).toMatchObject({ kind: 'mcp', state: 'ok', version: 1 })
})

test('a stdio MCP server is refused through the API and declared by the operator as a file', async () => {
  const viaApi = await h.call('PUT', '/v1/mcpservers/local-calc', { spec: { transport: { stdio: { command: process.execPath, args: [FIXTURE] } } } })
  expect(viaApi.status).toBe(422)
  expect(viaApi.body.error.details[0].path).toBe('/spec/transport/stdio')
  const file = join(dir, 'stdio.yaml')
  writeFileSync(file, `apiVersion: switchboard.dev/v1alpha1
kind: McpServer
metadata: { name: stdio-calc }
spec:
  tenant: ${TENANT}
  prefix: s_
  tools: [add, bump]
  transport: { stdio: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(FIXTURE)}] } }
---
apiVersion: switchboard.dev/v1alpha1
kind: Agent
metadata: { name: calc-stdio }
spec:
  tenant: ${TENANT}
  instructions: You add numbers and bump counters.
  model: { provider: openai, model: gpt-4o-mini }
  tools: [stdio-calc/*]
`)
  const deps = {
    storage: h.platform.storage, dequeue: async () => 0, apply: { resources: h.platform.storage.resources, builtinTools: [] },
    readSecret: async () => '',
  }
  const applied = await runAdminCommand(deps, ['apply', file]) as Array<{ kind: string; version: number }>
  expect(applied.map((a) => a.kind)).toEqual(['McpServer', 'Agent'])
  scriptToolUse('bump it by 5', 's_bump', { by: 5 }, () => 'Bumped.', 'counter')
  expect(await ask('calc-stdio', 'bump it by 5')).toBe('Bumped.')
  const offered = h.emu.requests.find((r) => r.lastText.includes('bump it by 5'))!.toolNames
  expect(offered.sort()).toEqual(['s_add', 's_bump', 'transfer_to_human'])
  // A WRITE through MCP runs once, recorded with its conversation.
  expect((await h.db.sql`select count(*)::int as n from tool_calls where tool = 's_bump' and ok`)[0]!.n).toBe(1)
})

test('an MCP server that cannot connect and an HTTP tool that times out are withdrawn with their reasons', async () => {
  await h.put('mcpservers', 'broken', { transport: { http: { url: 'http://127.0.0.1:1/mcp' } } })
  await h.put('tools', 'slow_lookup', {
    description: 'Looks an order up, slowly.', type: 'READ', parameters: { type: 'object', properties: {} },
    http: { url: `http://127.0.0.1:${slow.port}/`, timeoutMs: 300, retries: 0 },
  })
  await h.put('agents', 'fragile', { instructions: 'You look orders up.', model: MODEL, tools: ['broken/*', 'slow_lookup', 'calc_add'] })
  scriptToolUse('look it up', 'slow_lookup', {}, () => 'Sorry, the lookup is down.', 'timed out')
  expect(await ask('fragile', 'look it up please')).toBe('Sorry, the lookup is down.')
  const status = await waitFor(async () => {
    const data = (await h.call('GET', '/v1/tool-catalogue')).body.data as Array<{ source: string; state: string; reason?: string }>
    return data.find((s) => s.source === 'broken' && s.state === 'withdrawn')
  }, 5000, 'the broken server withdrawn')
  expect(status.reason).toContain('broken')
  // The next turn is offered neither the slow tool (timed out, cooling down) nor the broken server's tools.
  h.emu.script({ match: { textIncludes: 'what can you do' }, reply: { text: 'Only adding, right now.' } })
  expect(await ask('fragile', 'what can you do')).toBe('Only adding, right now.')
  const offered = h.emu.requests.find((r) => r.lastText.includes('what can you do'))!.toolNames
  expect(offered.sort()).toEqual(['calc_add', 'transfer_to_human'])
  const [facts] = await h.db.sql`select f.withdrawn from turn_facts f join messages m on m.id = f.turn_id where m.text = 'what can you do'`
  expect(facts?.withdrawn).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'slow_lookup' })]))
  // Other agents of the tenant carry on.
  scriptToolUse('add 1 and 1', 'calc_add', { a: 1, b: 1 }, (r) => `It is ${r}.`, '2')
  expect(await ask('calc-http', 'add 1 and 1')).toBe('It is 2.')
})
