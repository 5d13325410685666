// HTTP tools against a real local server: auth header, request and response mapping, retries on 5xx
// but not on 4xx, per-tool timeout, and WRITEs that send an Idempotency-Key and run once per key.
import { afterAll, beforeAll, beforeEach, expect, test } from 'bun:test'
import { Type } from '@sinclair/typebox'
import { createToolExecutor, createToolRegistry, defineHttpTool, type ToolExecutor } from '../../tools/index.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'

let db: TestDatabase
let server: ReturnType<typeof Bun.serve>
let exec: ToolExecutor
const hits: Record<string, number> = {}
const keys: string[] = []

function remote(req: Request, url: URL): Response | Promise<Response> {
  hits[url.pathname] = (hits[url.pathname] ?? 0) + 1
  if (req.headers.get('authorization') !== 'Bearer s3cret') return Response.json({ error: 'no auth' }, { status: 401 })
  if (url.pathname.startsWith('/orders/')) return Response.json({ order: { id: url.pathname.slice(8), status: url.searchParams.get('view') } })
  if (url.pathname === '/flaky') return hits['/flaky']! < 3 ? new Response('busy', { status: 503 }) : Response.json({ fine: true })
  if (url.pathname === '/down') return new Response('down', { status: 502 })
  if (url.pathname === '/slow') return Bun.sleep(1_000).then(() => Response.json({}))
  if (url.pathname === '/refunds') {
    keys.push(req.headers.get('idempotency-key') ?? '')
    return req.json().then((body) => Response.json({ refunded: body.amount }, { status: 201 }))
  }
  return Response.json({ error: 'bad request' }, { status: 400 })
}

beforeAll(async () => {
  db = await createTestDatabase()
  server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (req) => remote(req, new URL(req.url)) })
  const base = { url: `http://127.0.0.1:${server.port}`, auth: { header: 'authorization', value: 'Bearer s3cret' }, description: 'test' }
  const id = Type.Object({ id: Type.String() })
  const empty = Type.Object({})
  exec = createToolExecutor({
    sql: db.sql,
    registry: createToolRegistry([
      defineHttpTool({ ...base, name: 'order', type: 'READ', method: 'GET', parameters: id,
        request: ({ id }) => ({ path: `/orders/${id}`, query: { view: 'summary' } }), response: (body) => (body as { order: unknown }).order }),
      defineHttpTool({ ...base, name: 'flaky', type: 'READ', method: 'GET', parameters: empty, request: () => ({ path: '/flaky' }) }),
      defineHttpTool({ ...base, name: 'down', type: 'READ', retries: 1, parameters: empty, request: () => ({ path: '/down' }) }),
      defineHttpTool({ ...base, name: 'bad', type: 'READ', parameters: empty, request: () => ({ path: '/nope' }) }),
      defineHttpTool({ ...base, name: 'slow', type: 'READ', timeoutMs: 100, parameters: empty, request: () => ({ path: '/slow' }) }),
      defineHttpTool({ ...base, name: 'anonymous', auth: undefined, type: 'READ', parameters: id, request: ({ id }) => ({ path: `/orders/${id}` }) }),
      defineHttpTool({ ...base, name: 'refund', type: 'WRITE', parameters: Type.Object({ amount: Type.Number() }), request: (args) => ({ path: '/refunds', body: args }) }),
    ]),
  })
})
afterAll(async () => {
  await server.stop(true)
  await db.drop()
})
beforeEach(() => {
  for (const k of Object.keys(hits)) delete hits[k]
})

const call = (tool: string, args: unknown = {}, idempotencyKey: string = crypto.randomUUID()) => exec.executeTool({ tool, args, idempotencyKey })

test('arguments map onto the path and query, and the response onto the output', async () => {
  expect(await call('order', { id: 'W1' })).toEqual({ ok: true, output: { id: 'W1', status: 'summary' } })
})

test('5xx is retried with backoff until it succeeds', async () => {
  expect(await call('flaky')).toEqual({ ok: true, output: { fine: true } })
  expect(hits['/flaky']).toBe(3)
})

test('5xx beyond the retries is a retryable tool.failed', async () => {
  expect(await call('down')).toMatchObject({ ok: false, error: { code: 'tool.failed', retryable: true } })
  expect(hits['/down']).toBe(2)
})

test('4xx is terminal and not retried; a missing auth header is a 401', async () => {
  expect(await call('bad')).toMatchObject({ ok: false, error: { code: 'tool.failed', retryable: false } })
  expect(hits['/nope']).toBe(1)
  expect(await call('anonymous', { id: 'W1' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('HTTP 401') } })
})

test('a slow endpoint times out', async () => {
  expect(await call('slow')).toMatchObject({ ok: false, error: { code: 'tool.timeout', retryable: true } })
})

test('a WRITE sends its idempotency key and is not sent again for the same key', async () => {
  const first = await call('refund', { amount: 12.5 }, 'refund-1')
  expect(first).toEqual({ ok: true, output: { refunded: 12.5 } })
  expect(await call('refund', { amount: 12.5 }, 'refund-1')).toEqual({ ok: true, output: { refunded: 12.5 }, replayed: true })
  expect(keys).toEqual(['refund-1'])
})
