// MCP tools over stdio and streamable HTTP through the SDK client: listing, validated calls, structured
// and text results, tool errors, timeouts, and exactly-once WRITEs that forward the idempotency key.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { connectMcpServer, createToolExecutor, createToolRegistry, type McpTransportOptions, type ToolExecutor, type ToolRegistry } from '../../tools/index.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { createFixtureServer } from './fixtures/mcp-server.ts'

let db: TestDatabase
let http: ReturnType<typeof Bun.serve>
let transports: Record<'stdio' | 'http', McpTransportOptions>

beforeAll(async () => {
  db = await createTestDatabase()
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID() })
  await createFixtureServer().connect(transport)
  http = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (req) => transport.handleRequest(req) })
  transports = {
    stdio: { kind: 'stdio', command: process.execPath, args: [join(import.meta.dir, 'fixtures', 'mcp-server.ts')] },
    http: { kind: 'http', url: `http://127.0.0.1:${http.port}/mcp` },
  }
})
afterAll(async () => {
  await http.stop(true)
  await db.drop()
})

for (const kind of ['stdio', 'http'] as const) {
  describe(`MCP over ${kind}`, () => {
    let registry: ToolRegistry
    let exec: ToolExecutor
    beforeAll(async () => {
      registry = createToolRegistry()
      registry.addSource(await connectMcpServer({ name: 'fixture', transport: transports[kind], prefix: `${kind}_`, timeoutMs: 500 }))
      exec = createToolExecutor({ registry, sql: db.sql })
    })
    afterAll(async () => {
      await registry.close()
    })
    const call = (tool: string, args: unknown, key: string = crypto.randomUUID()) => exec.executeTool({ tool: `${kind}_${tool}`, args, idempotencyKey: key })

    test('tools are listed with their schema and a type from their annotations', () => {
      const specs = registry.specs()
      expect(specs.map((s) => [s.name, s.type])).toEqual([
        [`${kind}_add`, 'READ'],
        [`${kind}_bump`, 'WRITE'],
        [`${kind}_refuse`, 'GENERIC'],
        [`${kind}_slow`, 'GENERIC'],
      ])
    })

    test('a round trip returns the structured result', async () => {
      expect(await call('add', { a: 2, b: 3 })).toEqual({ ok: true, output: { sum: 5 } })
    })

    test('arguments are validated against the server schema before the call', async () => {
      expect(await call('add', { a: 2 })).toMatchObject({ ok: false, error: { code: 'tool.invalid_args' } })
      expect(await call('add', { a: 2, b: 3, c: 4 })).toMatchObject({ ok: false, error: { code: 'tool.invalid_args' } })
    })

    test('a tool error is a terminal tool.failed; a slow tool a retryable tool.timeout', async () => {
      expect(await call('refuse', {})).toMatchObject({ ok: false, error: { code: 'tool.failed', retryable: false } })
      const slow = await exec.executeTool({ tool: `${kind}_slow`, args: { ms: 1_000 }, idempotencyKey: 'slow' })
      expect(slow).toMatchObject({ ok: false, error: { code: 'tool.timeout', retryable: true } })
    })

    test('a WRITE runs once per key, forwarding the key, and replays its recorded result', async () => {
      const first = await call('bump', { by: 1 }, `${kind}-bump-1`)
      expect(first).toEqual({ ok: true, output: JSON.stringify({ counter: 1, key: `${kind}-bump-1` }) })
      expect(await call('bump', { by: 1 }, `${kind}-bump-1`)).toEqual({ ...first, replayed: true } as never)
      expect(await call('bump', { by: 1 }, `${kind}-bump-2`)).toEqual({ ok: true, output: JSON.stringify({ counter: 2, key: `${kind}-bump-2` }) })
    })
  })
}
