// Fetching knowledge pages against a loopback server the test starts: HTML and Markdown by content type,
// redirects followed and re-checked, and every defence answering with its code: the deadline (headers or a
// body that stalls), the byte cap (declared or streamed), content types, HTTP errors retryable or not, schemes,
// credentials, and private addresses unless allowed.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { fetchPage, type FetchPageOptions } from '../../knowledge/index.ts'
import { RetryableError, TerminalError } from '../../lib/errors.ts'

let server: ReturnType<typeof Bun.serve>
let base: string
const options: FetchPageOptions = { timeoutMs: 1500, maxBytes: 4096, allowPrivate: true }

beforeAll(() => {
  server = Bun.serve({
    port: 0, hostname: '127.0.0.1',
    async fetch(req) {
      const path = new URL(req.url).pathname
      switch (path) {
        case '/page.html': return new Response('<title>Returns</title><h1>Returns</h1><p>Within 30 days.</p>', { headers: { 'content-type': 'text/html; charset=utf-8' } })
        case '/latin1': return new Response(new Uint8Array([0x3c, 0x70, 0x3e, 0x63, 0x61, 0x66, 0xe9]), { headers: { 'content-type': 'text/html; charset=iso-8859-1' } })
        case '/doc.md': return new Response('# Refunds\n\nFive days.', { headers: { 'content-type': 'text/markdown' } })
        case '/moved': return Response.redirect('/doc.md', 301)
        case '/loop': return Response.redirect('/loop', 302)
        case '/pdf': return new Response('%PDF', { headers: { 'content-type': 'application/pdf' } })
        case '/big-declared': return new Response('x'.repeat(10_000), { headers: { 'content-type': 'text/plain' } })
        case '/big-streamed': return new Response(new ReadableStream({
          pull(c) { c.enqueue(new TextEncoder().encode('y'.repeat(1000))) },
        }), { headers: { 'content-type': 'text/plain' } })
        case '/slow-headers': return new Promise<Response>((resolve) => setTimeout(() => resolve(new Response('late')), 5000))
        case '/slow-body': return new Response(new ReadableStream({
          start(c) { c.enqueue(new TextEncoder().encode('<p>start')) },
        }), { headers: { 'content-type': 'text/html' } })
        case '/busy': return new Response('busy', { status: 503, headers: { 'retry-after': '7' } })
        default: return new Response('no', { status: 404 })
      }
    },
  })
  base = `http://127.0.0.1:${server.port}`
})
afterAll(() => server.stop(true))

async function failure(path: string, o: FetchPageOptions = options): Promise<{ code: string; retryable: boolean; message: string; retryAfterMs?: number }> {
  try {
    await fetchPage(path.includes('://') ? path : `${base}${path}`, o)
  } catch (e) {
    if (!(e instanceof RetryableError) && !(e instanceof TerminalError)) throw e
    return { code: e.code, retryable: e instanceof RetryableError, message: e.message, ...(e instanceof RetryableError && e.retryAfterMs ? { retryAfterMs: e.retryAfterMs } : {}) }
  }
  throw new Error(`${path} was fetched`)
}

test('HTML and Markdown are told apart by content type, and a declared charset is honoured', async () => {
  expect(await fetchPage(`${base}/page.html`, options)).toEqual({
    format: 'html', content: '<title>Returns</title><h1>Returns</h1><p>Within 30 days.</p>', url: `${base}/page.html`,
  })
  expect((await fetchPage(`${base}/latin1`, options)).content).toBe('<p>café')
  expect(await fetchPage(`${base}/doc.md?token=x`, options)).toMatchObject({ format: 'markdown', content: '# Refunds\n\nFive days.' })
})

test('redirects are followed to the final page, and a loop is cut off', async () => {
  expect(await fetchPage(`${base}/moved`, options)).toMatchObject({ format: 'markdown', url: `${base}/doc.md` })
  expect(await failure('/loop')).toMatchObject({ code: 'knowledge.fetch_failed', retryable: false })
})

test('one deadline covers headers and body: a stalled server is a retryable timeout', async () => {
  expect(await failure('/slow-headers')).toMatchObject({ code: 'knowledge.fetch_timeout', retryable: true })
  expect(await failure('/slow-body')).toMatchObject({ code: 'knowledge.fetch_timeout', retryable: true })
})

test('the byte cap holds whether the size is declared or only streamed', async () => {
  expect(await failure('/big-declared')).toMatchObject({ code: 'knowledge.too_large', retryable: false })
  expect(await failure('/big-streamed')).toMatchObject({ code: 'knowledge.too_large', retryable: false })
})

test('content types other than HTML, Markdown and text are refused', async () => {
  expect(await failure('/pdf')).toMatchObject({ code: 'knowledge.unsupported_type', retryable: false })
})

test('a 404 will not get better; a 503 may, after its Retry-After; errors never carry the query string', async () => {
  const missing = await failure('/gone?secret=s3cr3t')
  expect(missing).toMatchObject({ code: 'knowledge.fetch_failed', retryable: false })
  expect(missing.message).not.toContain('s3cr3t')
  expect(await failure('/busy')).toMatchObject({ code: 'knowledge.fetch_failed', retryable: true, retryAfterMs: 7000 })
  expect(await failure('http://127.0.0.1:1/closed')).toMatchObject({ code: 'knowledge.fetch_failed', retryable: true })
})

test('schemes other than http(s), credentials in URLs and private addresses are refused before any request', async () => {
  const publicOnly = { ...options, allowPrivate: false }
  expect(await failure(`${base}/page.html`, publicOnly)).toMatchObject({ code: 'knowledge.fetch_blocked', retryable: false })
  expect(await failure('http://169.254.169.254/latest/meta-data', publicOnly)).toMatchObject({ code: 'knowledge.fetch_blocked' })
  expect(await failure('http://[::1]:80/', publicOnly)).toMatchObject({ code: 'knowledge.fetch_blocked' })
  expect(await failure('http://localhost/', publicOnly)).toMatchObject({ code: 'knowledge.fetch_blocked' })
  expect(await failure('file:///etc/passwd')).toMatchObject({ code: 'knowledge.fetch_blocked' })
  expect(await failure(`http://user:pw@127.0.0.1:${server.port}/page.html`)).toMatchObject({ code: 'knowledge.fetch_blocked' })
  expect(await failure('not a url')).toMatchObject({ code: 'knowledge.fetch_blocked' })
})
