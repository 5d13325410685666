// The articles of a knowledge base over HTTP: upload (Markdown or HTML in JSON), update as a new version,
// delete from search, list, and read any version with its passages. An article is parsed and chunked before
// anything is written, and written in one transaction, so a bad one changes nothing.
import { Elysia, t } from 'elysia'
import { writeArticle } from '../../knowledge/index.ts'
import { AppError } from '../../lib/errors.ts'
import type { Article, ArticleVersion, ArticleVersionContent, PutOutcome, Storage } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { answer, idempotent } from '../idempotency.ts'
import { findKnowledgeBase, KB_NAME_PATTERN, KbParams } from './knowledge.ts'

export interface KnowledgeArticlesRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'knowledge' | 'idempotency' | 'sql'>
}

const ArticleParams = t.Object({ kb: t.String({ pattern: KB_NAME_PATTERN }), id: t.String({ pattern: '^art_[0-9a-f]{32}$' }) })
const VersionParams = t.Object({ ...ArticleParams.properties, version: t.Numeric({ minimum: 1, maximum: 2_147_483_647 }) })
const Format = t.Union([t.Literal('markdown'), t.Literal('html')])
const Content = t.String({ minLength: 1, description: 'the article, Markdown or HTML' })
const Title = t.String({ minLength: 1, maxLength: 300, description: "defaults to the document's own title" })
// A key names the article for the client (a CMS id, a path): printable, no control characters.
const Key = t.String({ pattern: '^[^\\u0000-\\u001f\\u007f]{1,1000}$' })

const articleView = (a: Article) => ({
  id: a.id, key: a.key, source: a.source, title: a.title, format: a.format, version: a.version, passages: a.passages,
  createdAt: a.createdAt.toISOString(), updatedAt: a.updatedAt.toISOString(), deletedAt: a.deletedAt?.toISOString() ?? null,
})
const versionView = (v: ArticleVersion) => ({
  version: v.version, title: v.title, format: v.format, contentHash: v.contentHash, createdAt: v.createdAt.toISOString(),
})
const contentView = (v: ArticleVersionContent) => ({ ...versionView(v), content: v.content, passages: v.passages })

function written(outcome: PutOutcome, what: string): { article: Article; changed: boolean } {
  if (outcome.ok) return outcome
  if (outcome.reason === 'not_found') throw new AppError('not_found', `article ${what} not found`)
  if (outcome.reason === 'exists') throw new AppError('knowledge.exists', `an article with key ${what} already exists`)
  throw new AppError('knowledge.version_conflict', `article ${what} is at version ${outcome.current}`)
}

export function knowledgeArticlesRoutes(deps: KnowledgeArticlesRouteDeps) {
  const { knowledge } = deps.storage
  const kbOf = (tenantId: string, name: string) => findKnowledgeBase(deps.storage, tenantId, name)
  const find = async (kbId: string, id: string) => {
    const article = await knowledge.articles.get(kbId, id)
    if (!article) throw new AppError('not_found', `article ${id} not found`)
    return article
  }
  return new Elysia({ name: 'knowledge-articles' })
    .use(requestGuard(deps))
    .post('/v1/knowledge-bases/:kb/articles', async ({ params, body, tenant, request, set }) => {
      const kb = await kbOf(tenant.tenantId, params.kb)
      const keyed = await idempotent(deps.storage, tenant, request, body, async (tx) => {
        const outcome = await writeArticle(knowledge.articles, { kbId: kb.id, source: 'upload' }, body, { mode: 'create' }, tx)
        return { status: 201, body: articleView(written(outcome, body.key ?? '').article) }
      })
      return answer(set, keyed)
    }, {
      scope: ['admin'], params: KbParams,
      body: t.Object({ format: Format, content: Content, title: t.Optional(Title), key: t.Optional(Key) }, { additionalProperties: false }),
      detail: {
        summary: 'Upload an article', tags: ['knowledge'],
        description: 'With a `key`, a second upload under the same key is a 409 (update it by id instead). Takes an Idempotency-Key.',
      },
    })
    .put('/v1/knowledge-bases/:kb/articles/:id', async ({ params, body, tenant }) => {
      const kb = await kbOf(tenant.tenantId, params.kb)
      const { expectedVersion, ...input } = body
      // The key still names an untitled document.
      const key = (await find(kb.id, params.id)).key ?? undefined
      const outcome = await writeArticle(knowledge.articles, { kbId: kb.id, source: 'upload', id: params.id }, { ...input, key },
        { mode: 'update', expectedVersion })
      const { article, changed } = written(outcome, params.id)
      return { ...articleView(article), changed }
    }, {
      scope: ['admin'], params: ArticleParams,
      body: t.Object({
        format: Format, content: Content, title: t.Optional(Title),
        expectedVersion: t.Optional(t.Integer({ minimum: 1, description: 'refuse with 409 unless this is the current version' })),
      }, { additionalProperties: false }),
      detail: {
        summary: 'Update an article: a new version (the previous ones are kept)', tags: ['knowledge'],
        description: 'The same content again changes nothing (`changed: false`).',
      },
    })
    .delete('/v1/knowledge-bases/:kb/articles/:id', async ({ params, query, tenant }) => {
      const kb = await kbOf(tenant.tenantId, params.kb)
      await find(kb.id, params.id)
      if (query.purge) return { id: params.id, purged: await knowledge.articles.purge(kb.id, params.id) }
      return articleView((await knowledge.articles.remove(kb.id, params.id))!)
    }, {
      scope: ['admin'], params: ArticleParams,
      query: t.Object({ purge: t.Optional(t.BooleanString({ description: 'also delete every version, for good' })) }, { additionalProperties: false }),
      detail: {
        summary: 'Delete an article from search (its versions are kept; repeating it is harmless)', tags: ['knowledge'],
        description: 'With `purge=true` the article and all its versions are deleted for good, for content that should never have been uploaded.',
      },
    })
    .get('/v1/knowledge-bases/:kb/articles', async ({ params, query, tenant }) => {
      const kb = await kbOf(tenant.tenantId, params.kb)
      const limit = query.limit ?? 50
      const data = (await knowledge.articles.list(kb.id, { limit, after: query.after, includeDeleted: query.deleted })).map(articleView)
      return { data, next: data.length === limit ? data[data.length - 1]!.id : null }
    }, {
      scope: ['console'], params: KbParams,
      query: t.Object({
        limit: t.Optional(t.Numeric({ minimum: 1, maximum: 200 })),
        after: t.Optional(t.String({ pattern: '^art_[0-9a-f]{32}$', description: 'the `next` of the previous page' })),
        deleted: t.Optional(t.BooleanString({ description: 'include deleted articles' })),
      }, { additionalProperties: false }),
      detail: { summary: 'Articles, oldest first', tags: ['knowledge'] },
    })
    .get('/v1/knowledge-bases/:kb/articles/:id', async ({ params, tenant }) => {
      const kb = await kbOf(tenant.tenantId, params.kb)
      const article = await find(kb.id, params.id)
      const current = await knowledge.articles.version(kb.id, params.id, article.version)
      return { ...articleView(article), content: current!.content, passages: article.deletedAt ? [] : current!.passages }
    }, { scope: ['console'], params: ArticleParams, detail: { summary: 'An article: its current version, content and passages', tags: ['knowledge'] } })
    .get('/v1/knowledge-bases/:kb/articles/:id/versions', async ({ params, tenant }) => {
      const kb = await kbOf(tenant.tenantId, params.kb)
      await find(kb.id, params.id)
      return { data: (await knowledge.articles.versions(kb.id, params.id)).map(versionView) }
    }, { scope: ['console'], params: ArticleParams, detail: { summary: "An article's versions, newest first", tags: ['knowledge'] } })
    .get('/v1/knowledge-bases/:kb/articles/:id/versions/:version', async ({ params, tenant }) => {
      const kb = await kbOf(tenant.tenantId, params.kb)
      const version = await knowledge.articles.version(kb.id, params.id, params.version)
      if (!version) throw new AppError('not_found', `version ${params.version} of article ${params.id} not found`)
      return contentView(version)
    }, {
      scope: ['console'], params: VersionParams,
      detail: { summary: 'One version of an article with its content and passages (what a past turn cited)', tags: ['knowledge'] },
    })
}
