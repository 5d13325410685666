// Browsers on another origin (a chat widget on the tenant's site): the preflight is answered without a key,
// answers and errors carry the CORS headers the widget needs, over app.handle and over a real socket for SSE;
// with a list of origins, only those are answered.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { customerToken, newConversation, startApiHarness, type ApiHarness } from './harness.ts'

const SHOP = 'https://shop.example'
const preflight = (method: string) => ({
  key: null, headers: { origin: SHOP, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' },
})

describe('any origin (the default)', () => {
  let h: ApiHarness
  beforeAll(async () => (h = await startApiHarness({ ROLE: 'api' })))
  afterAll(() => h.close())

  test('a preflight is answered without a key, naming the methods and headers a widget sends', async () => {
    const res = await h.call('OPTIONS', '/v1/conversations/conv_1/messages', preflight('POST'))
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-allow-methods')).toContain('POST')
    expect(res.headers.get('access-control-allow-headers')).toContain('idempotency-key')
  })

  test('answers and errors carry the origin header, and expose Retry-After', async () => {
    const id = await newConversation(h)
    const posted = await h.call('POST', `/v1/conversations/${id}/messages`, { body: { text: 'hi' }, headers: { origin: SHOP } })
    expect(posted.status).toBe(202)
    expect(posted.headers.get('access-control-allow-origin')).toBe('*')
    const refused = await h.call('GET', '/v1/conversations', { key: 'sb_wrong', headers: { origin: SHOP } })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('access-control-allow-origin')).toBe('*')
    expect(refused.headers.get('access-control-expose-headers')).toContain('retry-after')
  })

  test('the SSE stream is readable cross-origin over a real socket', async () => {
    const server = h.platform.app!.listen({ hostname: '127.0.0.1', port: 0 })
    const id = await newConversation(h)
    const abort = new AbortController()
    const token = await customerToken(h, id)
    const res = await fetch(`http://127.0.0.1:${server.server!.port}/v1/conversations/${id}/events?access_token=${token}`, {
      headers: { origin: SHOP, accept: 'text/event-stream' }, signal: abort.signal,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    abort.abort()
  })

  test('a request without an Origin header gets no CORS headers', async () => {
    expect((await h.call('GET', '/v1/conversations')).headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('a list of origins', () => {
  let h: ApiHarness
  beforeAll(async () => (h = await startApiHarness({ ROLE: 'api', API_CORS_ORIGINS: `${SHOP}, https://help.example` })))
  afterAll(() => h.close())

  test('a listed origin is echoed back, with Vary: Origin', async () => {
    const res = await h.call('GET', '/v1/conversations', { headers: { origin: SHOP } })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP)
    expect(res.headers.get('vary')).toContain('Origin')
  })

  test('another origin gets no CORS headers, and its preflight does not get past the key check', async () => {
    const other = { origin: 'https://evil.example' }
    expect((await h.call('GET', '/v1/conversations', { headers: other })).headers.get('access-control-allow-origin')).toBeNull()
    const res = await h.call('OPTIONS', '/v1/conversations', { key: null, headers: { ...other, 'access-control-request-method': 'GET' } })
    expect(res.status).toBe(401)
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })
})
