// (Values are read before toMatchObject: Bun's asymmetric matchers can end up in the received object.)
// The knowledge API end to end on an in-process platform (its worker runs the re-index queue): knowledge bases,
// article uploads, versions and deletes, search, a URL re-index followed to completion through its progress,
// scopes, bad input answered with its code and nothing written, and the OpenAPI document.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAdminCommand } from '../../api/index.ts'
import { createJobScrubber } from '../../queues/index.ts'
import { startApiHarness, type ApiHarness } from './harness.ts'
import { waitFor } from '../support/wait.ts'

let h: ApiHarness
let site: ReturnType<typeof Bun.serve>
let consoleKey: string
let channelKey: string

beforeAll(async () => {
  h = await startApiHarness({ KNOWLEDGE_FETCH_ALLOW_PRIVATE: 'true', API_MAX_BODY_BYTES: '8192' })
  consoleKey = (await h.platform.storage.apiKeys.issue(h.a.id, ['console'])).key
  channelKey = (await h.platform.storage.apiKeys.issue(h.a.id, ['channel'])).key
  site = Bun.serve({
    port: 0, hostname: '127.0.0.1',
    fetch: (req) => new URL(req.url).pathname === '/shipping'
      ? new Response('<main><h1>Shipping</h1><h2>Tracking</h2><p>Every parcel has a tracking id.</p></main>', { headers: { 'content-type': 'text/html' } })
      : new Response('no', { status: 404 }),
  })
}, 30_000)
afterAll(async () => {
  site.stop(true)
  await h.close()
})

const RETURNS = '# Returns\n\n## Window\n\nDelivered orders can be returned.\n\n## Refund\n\nRefunds go to the original payment method.'

test('create and list knowledge bases; a taken name is a 409 and another tenant never sees them', async () => {
  const created = await h.call('POST', '/v1/knowledge-bases', { body: { name: 'help', description: 'Help centre' } })
  expect(created.status).toBe(201)
  expect(created.body).toMatchObject({ id: expect.stringMatching(/^kb_/), name: 'help', language: 'english', urls: [], articles: 0, passages: 0 })
  expect((await h.call('POST', '/v1/knowledge-bases', { body: { name: 'help' } })).body.error.code).toBe('knowledge.exists')
  expect((await h.call('POST', '/v1/knowledge-bases', { body: { name: 'fr', language: 'french' } })).status).toBe(201)
  expect((await h.call('GET', '/v1/knowledge-bases', { key: consoleKey })).body.data.map((k: { name: string }) => k.name)).toEqual(['fr', 'help'])
  expect((await h.call('GET', '/v1/knowledge-bases', { key: h.b.key })).body.data).toEqual([])
  expect((await h.call('GET', '/v1/knowledge-bases/help', { key: h.b.key })).status).toBe(404)
})

test('upload, update as a new version, read versions, search, delete: search always sees the current text only', async () => {
  const up = await h.call('POST', '/v1/knowledge-bases/help/articles', { body: { format: 'markdown', content: RETURNS, key: 'returns' } })
  const id: string = up.body.id
  expect(up.status).toBe(201)
  expect(up.body).toMatchObject({ id: expect.stringMatching(/^art_/), key: 'returns', source: 'upload', title: 'Returns', version: 1, passages: 2 })
  const path = `/v1/knowledge-bases/help/articles/${id}`

  const edited = await h.call('PUT', path, { body: { format: 'markdown', content: RETURNS.replace('original payment method', 'gift card'), expectedVersion: 1 } })
  expect(edited.body).toMatchObject({ version: 2, changed: true })
  expect((await h.call('PUT', path, { body: { format: 'markdown', content: RETURNS.replace('original payment method', 'gift card') } })).body)
    .toMatchObject({ version: 2, changed: false })
  expect((await h.call('PUT', path, { body: { format: 'markdown', content: 'Other.', expectedVersion: 1 } })).body.error.code).toBe('knowledge.version_conflict')

  const search = await h.call('GET', '/v1/knowledge-bases/help/search?q=where%20does%20my%20refund%20go%3F&limit=1', { key: consoleKey })
  expect(search.body.data).toEqual([{
    articleId: id, passageId: expect.stringMatching(/^psg_/), version: 2, title: 'Returns', headingPath: ['Returns', 'Refund'],
    text: 'Refunds go to the gift card.', score: expect.any(Number),
  }])
  expect((await h.call('GET', `${path}/versions`, { key: consoleKey })).body.data.map((v: { version: number }) => v.version)).toEqual([2, 1])
  const v1 = await h.call('GET', `${path}/versions/1`, { key: consoleKey })
  expect(v1.body).toMatchObject({ version: 1, content: RETURNS })
  expect(v1.body.passages[1].text).toBe('Refunds go to the original payment method.')
  const current = await h.call('GET', path, { key: consoleKey })
  expect(current.body).toMatchObject({ version: 2, passages: [expect.any(Object), expect.any(Object)] })

  const deleted = await h.call('DELETE', path)
  expect(deleted.body).toMatchObject({ id, deletedAt: expect.any(String), passages: 0 })
  expect((await h.call('DELETE', path)).status).toBe(200)
  expect((await h.call('GET', '/v1/knowledge-bases/help/search?q=refund', { key: consoleKey })).body.data).toEqual([])
  expect((await h.call('GET', '/v1/knowledge-bases/help/articles', { key: consoleKey })).body).toEqual({ data: [], next: null })
  expect((await h.call('GET', '/v1/knowledge-bases/help/articles?deleted=true', { key: consoleKey })).body.data).toHaveLength(1)
})

test('purge deletes an article and every version for good', async () => {
  const up = await h.call('POST', '/v1/knowledge-bases/help/articles', { body: { format: 'markdown', content: '# Oops\n\nCustomer jane@example.com typed this.' } })
  const path = `/v1/knowledge-bases/help/articles/${up.body.id}`
  expect((await h.call('DELETE', `${path}?purge=true`)).body).toEqual({ id: up.body.id, purged: true })
  expect((await h.call('GET', path, { key: consoleKey })).status).toBe(404)
  expect((await h.call('GET', `${path}/versions/1`, { key: consoleKey })).status).toBe(404)
  const left = await h.platform.storage.sql`select 1 from knowledge_article_versions where content like ${'%jane@example.com%'}`
  expect(left).toHaveLength(0)
  expect((await h.call('DELETE', `${path}?purge=true`)).status).toBe(404)
})

test('an Idempotency-Key makes an upload retry return the first article instead of a second one', async () => {
  const body = { format: 'html', content: '<h1>Exchanges</h1><p>Same product, other options.</p>' }
  const first = await h.call('POST', '/v1/knowledge-bases/help/articles', { body, headers: { 'idempotency-key': 'upload-1' } })
  const retry = await h.call('POST', '/v1/knowledge-bases/help/articles', { body, headers: { 'idempotency-key': 'upload-1' } })
  expect([first.status, retry.status, retry.headers.get('idempotent-replayed')]).toEqual([201, 201, 'true'])
  expect(retry.body.id).toBe(first.body.id)
  expect((await h.call('GET', '/v1/knowledge-bases/help/articles', { key: consoleKey })).body.data).toHaveLength(1)
})

test('a re-index fetches the URL list in a worker, with progress through the API until it completes', async () => {
  const urls = await h.call('PUT', '/v1/knowledge-bases/help/urls', { body: { urls: [`http://127.0.0.1:${site.port}/shipping`, `http://127.0.0.1:${site.port}/gone`] } })
  expect(urls.body.urls).toHaveLength(2)
  const started = await h.call('POST', '/v1/knowledge-bases/help/reindex')
  const jobPath = `/v1/knowledge-bases/help/jobs/${started.body.id}`
  expect(started.status).toBe(202)
  expect(started.body).toMatchObject({ id: expect.stringMatching(/^kjob_/), total: 3, created: true })
  const done = await waitFor(async () => {
    const job = (await h.call('GET', jobPath, { key: consoleKey })).body
    return job.status === 'completed' && job
  }, 15_000, 're-index completed')
  expect(done).toMatchObject({ total: 3, done: 2, failed: 1, pending: 0, failures: [{ kind: 'fetch', code: 'knowledge.fetch_failed' }] })
  const hit = (await h.call('GET', '/v1/knowledge-bases/help/search?q=tracking', { key: consoleKey })).body.data
  expect(hit).toMatchObject([{ title: 'Shipping', headingPath: ['Shipping', 'Tracking'], text: 'Every parcel has a tracking id.' }])
  expect((await h.call('GET', '/v1/knowledge-bases/help/jobs', { key: consoleKey })).body.data[0].status).toBe('completed')
})

test('scopes: console reads but cannot write, channel keys cannot even read', async () => {
  expect((await h.call('GET', '/v1/knowledge-bases/help/search?q=x', { key: channelKey })).body.error.code).toBe('auth.forbidden')
  expect((await h.call('POST', '/v1/knowledge-bases/help/articles', { key: consoleKey, body: { format: 'markdown', content: 'x' } })).status).toBe(403)
  expect((await h.call('POST', '/v1/knowledge-bases/help/reindex', { key: consoleKey })).status).toBe(403)
  expect((await h.call('GET', '/v1/knowledge-bases/help/articles', { key: consoleKey })).status).toBe(200)
})

test('bad input gets its 4xx and code, and writes nothing', async () => {
  const before = await h.platform.storage.sql<{ n: number }[]>`select count(*)::int as n from knowledge_article_versions`
  const cases: Array<[string, string, unknown, number, string]> = [
    ['POST', '/v1/knowledge-bases', { name: 'Bad Name' }, 400, 'request.invalid'],
    ['POST', '/v1/knowledge-bases', { name: 'x', language: 'klingon' }, 400, 'request.invalid'],
    ['POST', '/v1/knowledge-bases/help/articles', { format: 'pdf', content: 'x' }, 400, 'request.invalid'],
    ['POST', '/v1/knowledge-bases/help/articles', { format: 'markdown', content: '' }, 400, 'request.invalid'],
    ['POST', '/v1/knowledge-bases/help/articles', { format: 'html', content: '<script>only()</script>' }, 400, 'knowledge.no_text'],
    ['POST', '/v1/knowledge-bases/help/articles', { format: 'markdown', content: 'x', key: 'tab\there' }, 400, 'request.invalid'],
    ['POST', '/v1/knowledge-bases/help/articles', { format: 'markdown', content: 'y'.repeat(9000) }, 413, 'request.too_large'],
    ['POST', '/v1/knowledge-bases/nope/articles', { format: 'markdown', content: 'x' }, 404, 'not_found'],
    ['PUT', '/v1/knowledge-bases/help/articles/art_00000000000000000000000000000000', { format: 'markdown', content: 'x' }, 404, 'not_found'],
    ['PUT', '/v1/knowledge-bases/help/articles/not-an-id', { format: 'markdown', content: 'x' }, 400, 'request.invalid'],
    ['PUT', '/v1/knowledge-bases/help/urls', { urls: ['ftp://x/y', 'http://u:p@h/'] }, 400, 'request.invalid'],
    ['POST', '/v1/knowledge-bases/nope/reindex', undefined, 404, 'not_found'],
    ['GET', '/v1/knowledge-bases/help/jobs/kjob_00000000000000000000000000000000', undefined, 404, 'not_found'],
    ['GET', '/v1/knowledge-bases/help/articles/art_00000000000000000000000000000000/versions/1', undefined, 404, 'not_found'],
    ['GET', '/v1/knowledge-bases/help/search', undefined, 400, 'request.invalid'],
    ['GET', `/v1/knowledge-bases/help/search?q=${'q'.repeat(10_001)}`, undefined, 400, 'request.invalid'],
  ]
  for (const [method, path, body, status, code] of cases) {
    const res = await h.call(method, path, { body })
    expect([method, path.slice(0, 80), res.status, res.body?.error?.code]).toEqual([method, path.slice(0, 80), status, code])
  }
  const bad = await h.call('PUT', '/v1/knowledge-bases/help/urls', { body: { urls: ['https://ok.example/a', 'ftp://x/y'] } })
  expect(bad.body.error.details).toEqual([{ path: '/urls/1', message: 'not an http(s) URL without credentials' }])
  expect(await h.platform.storage.sql<{ n: number }[]>`select count(*)::int as n from knowledge_article_versions`).toEqual(before)
  expect((await h.call('GET', '/v1/knowledge-bases/help', { key: consoleKey })).body.urls).toHaveLength(2)
})

test('search takes any text: punctuation, tsquery operators; a NUL byte is refused at the front door like anywhere', async () => {
  for (const q of [encodeURIComponent("'&|!:*()<->\\"), '%F0%9F%92%B3', encodeURIComponent('tracking '.repeat(500))]) {
    const res = await h.call('GET', `/v1/knowledge-bases/help/search?q=${q}`, { key: consoleKey })
    expect([q.slice(0, 20), res.status]).toEqual([q.slice(0, 20), 200])
  }
  const nul = await h.call('GET', '/v1/knowledge-bases/help/search?q=%00tracking%00', { key: consoleKey })
  expect({ status: nul.status, field: nul.body.error.details[0].path }).toEqual({ status: 400, field: '/q' })
})

test('the operator imports a folder from the command line into a new knowledge base, searchable at once', async () => {
  const root = await mkdtemp(join(tmpdir(), 'kb-cli-'))
  try {
    await writeFile(join(root, 'gift-cards.md'), '# Gift cards\n\nA gift card must cover the whole amount.')
    const deps = {
      storage: h.platform.storage, dequeue: createJobScrubber(h.redis.client, h.redis.prefix),
      apply: { resources: h.platform.storage.resources, builtinTools: [] }, readSecret: async () => '',
    }
    expect(await runAdminCommand(deps, ['import-knowledge', h.a.id, 'cli-docs', root])).toMatchObject({ knowledgeBase: 'cli-docs', created: ['gift-cards.md'] })
    expect((await h.call('GET', '/v1/knowledge-bases/cli-docs/search?q=gift%20card', { key: consoleKey })).body.data[0].title).toBe('Gift cards')
    await expect(runAdminCommand(deps, ['import-knowledge', 'no-such-tenant', 'docs', root])).rejects.toMatchObject({ code: 'not_found' })
    await expect(runAdminCommand(deps, ['import-knowledge', h.a.id, 'Bad Name', root])).rejects.toMatchObject({ code: 'request.invalid' })
  } finally {
    await rm(root, { recursive: true, force: true })
  }
})

test('the routes are in the OpenAPI document', async () => {
  const paths = Object.keys((await h.call('GET', '/docs/json', { key: null })).body.paths)
  expect(paths).toEqual(expect.arrayContaining([
    '/v1/knowledge-bases', '/v1/knowledge-bases/{kb}', '/v1/knowledge-bases/{kb}/urls', '/v1/knowledge-bases/{kb}/reindex',
    '/v1/knowledge-bases/{kb}/jobs/{id}', '/v1/knowledge-bases/{kb}/search', '/v1/knowledge-bases/{kb}/articles',
    '/v1/knowledge-bases/{kb}/articles/{id}', '/v1/knowledge-bases/{kb}/articles/{id}/versions/{version}',
  ]))
})
