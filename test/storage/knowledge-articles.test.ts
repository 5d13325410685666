// Versioned articles in Postgres: an update is a new version and search sees only the current one, the same
// content again is no version at all, unchanged sections keep their passage ids, a deleted article leaves
// search but keeps its versions, concurrent first writes of one key make one article, and a folder import
// creates, updates, leaves alone and prunes. Through all of it the word statistics retrieval weighs by match
// the live passages exactly.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importFolder, writeArticle, type ArticleInput } from '../../knowledge/index.ts'
import { createStorage, type Knowledge, type KnowledgeBase } from '../../storage/index.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'

let db: TestDatabase
let redis: TestRedis
let knowledge: Knowledge
let kb: KnowledgeBase

beforeAll(async () => {
  db = await createTestDatabase()
  redis = await createTestRedis()
  knowledge = createStorage(db.sql, redis.client, redis.prefix).knowledge
  await db.sql`insert into tenants (id, name) values ('acme', 'Acme'), ('other', 'Other')`
  kb = (await knowledge.bases.create('acme', { name: 'help' }))!
})
afterAll(async () => {
  await db.drop()
  await redis.cleanup()
})

const search = (query: string, tenantId = 'acme', name = 'help') => knowledge.retrieve({ tenantId, knowledgeBase: name, query, limit: 10 })
const put = (input: ArticleInput, mode: 'create' | 'update' | 'upsert' = 'upsert', id?: string) =>
  writeArticle(knowledge.articles, { kbId: kb.id, source: 'upload', id }, input, { mode })

const V1 = '# Refunds\n\n## Cards\n\nCard refunds take 5 to 7 business days.\n\n## Gift cards\n\nGift card refunds are immediate.'
const V2 = V1.replace('5 to 7 business days', 'ten business days')

test('an update is a new version: search sees only the current text, unchanged sections keep their passage ids', async () => {
  const first = await put({ format: 'markdown', content: V1, key: 'refunds' })
  if (!first.ok) throw new Error(first.reason)
  expect([first.article.version, first.changed, first.article.passages]).toEqual([1, true, 2])
  const before = await knowledge.articles.version(kb.id, first.article.id, 1)

  const second = await put({ format: 'markdown', content: V2, key: 'refunds' })
  expect(second.ok && [second.article.version, second.changed]).toEqual([2, true])
  expect(await search('business days seven')).toEqual([
    expect.objectContaining({ articleId: first.article.id, version: 2, text: 'Card refunds take ten business days.', headingPath: ['Refunds', 'Cards'] }),
  ])
  const after = await knowledge.articles.version(kb.id, first.article.id, 2)
  expect(after!.passages[1]!.id).toBe(before!.passages[1]!.id)
  expect(after!.passages[0]!.id).not.toBe(before!.passages[0]!.id)
  // The previous version is kept whole, for the citations of past turns.
  expect(before!.content).toBe(V1)
  expect((await knowledge.articles.versions(kb.id, first.article.id)).map((v) => v.version)).toEqual([2, 1])
})

test('the same content again writes no version', async () => {
  const again = await put({ format: 'markdown', content: V2, key: 'refunds' })
  expect(again.ok && [again.article.version, again.changed]).toEqual([2, false])
})

test('create refuses a live key, update an unknown id, and expectedVersion a stale version, writing nothing', async () => {
  expect(await put({ format: 'markdown', content: 'Other text.', key: 'refunds' }, 'create')).toEqual({ ok: false, reason: 'exists' })
  expect(await put({ format: 'markdown', content: 'Text.' }, 'update', 'art_00000000000000000000000000000000')).toEqual({ ok: false, reason: 'not_found' })
  const [article] = await knowledge.articles.list(kb.id, { limit: 1 })
  const stale = await writeArticle(knowledge.articles, { kbId: kb.id, source: 'upload', id: article!.id }, { format: 'markdown', content: 'New.' },
    { mode: 'update', expectedVersion: 1 })
  expect(stale).toEqual({ ok: false, reason: 'version_conflict', current: 2 })
  const [versions] = await db.sql<{ n: number }[]>`select count(*)::int as n from knowledge_article_versions`
  expect(versions?.n).toBe(2)
  expect((await knowledge.bases.get('acme', 'help'))!.articles).toBe(1)
})

test('a deleted article leaves search at once, keeps its versions, and comes back when its key is written again', async () => {
  const [article] = await knowledge.articles.list(kb.id, { limit: 1 })
  const removed = await knowledge.articles.remove(kb.id, article!.id)
  expect(removed!.deletedAt).toBeInstanceOf(Date)
  expect(removed!.passages).toBe(0)
  expect(await search('refunds')).toEqual([])
  expect(await knowledge.articles.remove(kb.id, article!.id)).toEqual(removed!)
  expect((await knowledge.articles.versions(kb.id, article!.id))).toHaveLength(2)
  expect(await knowledge.articles.list(kb.id, { limit: 10 })).toEqual([])
  const back = await put({ format: 'markdown', content: V2, key: 'refunds' }, 'create')
  expect(back.ok && [back.article.id, back.article.version, back.article.deletedAt]).toEqual([article!.id, 3, null])
  expect((await search('refunds')).length).toBe(2)
})

test("one tenant's search never sees another's knowledge base, even under the same name", async () => {
  const foreign = (await knowledge.bases.create('other', { name: 'help' }))!
  await writeArticle(knowledge.articles, { kbId: foreign.id, source: 'upload' }, { format: 'markdown', content: 'Refunds of other tenant.' }, { mode: 'create' })
  expect((await search('refunds', 'acme')).every((p) => !p.text.includes('other tenant'))).toBe(true)
  expect((await search('refunds', 'other')).map((p) => p.text)).toEqual(['Refunds of other tenant.'])
  expect(await search('refunds', 'acme', 'missing')).toEqual([])
})

test('concurrent first writes of one key make one article and versions in a row, never an error', async () => {
  const contents = Array.from({ length: 8 }, (_, i) => `# Race\n\nVersion ${i} of the race article.`)
  const outcomes = await Promise.all(contents.map((content) => put({ format: 'markdown', content, key: 'race' })))
  expect(outcomes.every((o) => o.ok)).toBe(true)
  const ids = new Set(outcomes.map((o) => o.ok && o.article.id))
  expect(ids.size).toBe(1)
  const versions = await knowledge.articles.versions(kb.id, [...ids][0] as string)
  expect(versions.map((v) => v.version)).toEqual([8, 7, 6, 5, 4, 3, 2, 1])
  const [passages] = await db.sql<{ live: number }[]>`select count(*)::int as live from knowledge_passages where article_id = ${[...ids][0] as string} and live`
  expect(passages?.live).toBe(1)
})

test('a folder import creates, updates, leaves unchanged files alone, reports bad files and prunes removed ones', async () => {
  const root = await mkdtemp(join(tmpdir(), 'kb-'))
  try {
    const folderKb = (await knowledge.bases.create('acme', { name: 'folder' }))!
    await writeFile(join(root, 'a.md'), '# A\n\nAlpha text.')
    await writeFile(join(root, 'b.html'), '<h1>B</h1><p>Beta text.</p>')
    await writeFile(join(root, 'empty.md'), '# Nothing but a title')
    await writeFile(join(root, 'notes.pdf'), 'ignored')
    const first = await importFolder(knowledge, folderKb.id, { root })
    expect(first).toEqual({ created: ['a.md', 'b.html'], updated: [], unchanged: [], removed: [], failed: [
      { file: 'empty.md', code: 'knowledge.no_text', message: 'the article has no text to index' },
    ] })
    await writeFile(join(root, 'a.md'), '# A\n\nAlpha text, edited.')
    await rm(join(root, 'b.html'))
    const second = await importFolder(knowledge, folderKb.id, { root, files: ['a.md'] })
    expect(second).toEqual({ created: [], updated: ['a.md'], unchanged: [], removed: ['b.html'], failed: [] })
    expect((await importFolder(knowledge, folderKb.id, { root, files: ['a.md'] })).unchanged).toEqual(['a.md'])
    expect((await search('beta', 'acme', 'folder'))).toEqual([])
    expect((await search('alpha', 'acme', 'folder')).map((p) => p.text)).toEqual(['Alpha text, edited.'])
  } finally {
    await rm(root, { recursive: true, force: true })
  }
})

test('the word statistics and passage counts match the live passages after every kind of write, purges included', async () => {
  const rechunked = (await knowledge.articles.list(kb.id, { limit: 1 }))[0]!
  const current = (await knowledge.articles.version(kb.id, rechunked.id, rechunked.version))!
  expect(await knowledge.articles.rechunk(kb.id, rechunked.id, rechunked.version, current.passages.slice(1))).toBe(true)
  const purged = await put({ format: 'markdown', content: '# Purged\n\nA unique zygomorphic word.' })
  expect(purged.ok && (await knowledge.articles.purge(kb.id, purged.article.id))).toBe(true)
  expect(await search('zygomorphic')).toEqual([])
  for (const base of await db.sql<{ id: string; passages: number }[]>`select id, passages from knowledge_bases`) {
    const stats = await db.sql<{ lexeme: string; n: number }[]>`select lexeme, passages as n from knowledge_lexemes
      where kb_id = ${base.id} and passages <> 0 order by lexeme`
    const truth = await db.sql<{ lexeme: string; n: number }[]>`select word as lexeme, ndoc as n
      from ts_stat(${`select tsv from knowledge_passages where live and kb_id = '${base.id}'`}) order by word`
    expect(stats).toEqual(truth)
    const [live] = await db.sql<{ n: number }[]>`select count(*)::int as n from knowledge_passages where kb_id = ${base.id} and live`
    expect(base.passages).toBe(live!.n)
  }
})
