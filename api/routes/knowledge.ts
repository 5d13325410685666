// A tenant's knowledge bases over HTTP: create and list them, set the URL list the re-index job fetches, start
// a re-index and follow its progress, and search (the console's suggestions in Assist mode). Writes need the
// admin scope, reads the console scope. Articles have their own plugin (knowledge-articles.ts).
import { Elysia, t } from 'elysia'
import { AppError, RetryableError } from '../../lib/errors.ts'
import { RESOURCE_NAME_PATTERN } from '../../resources/index.ts'
import { KNOWLEDGE_LANGUAGES, type IndexItemFailure, type IndexJob, type KnowledgeBase, type Storage } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'

export interface KnowledgeRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'knowledge'>
  /** Queues a re-index job for a worker (queues/, wired by the composition root). */
  reindex: { enqueue(jobId: string): Promise<void> }
}

/** A resource name, so an Agent's `knowledgeBase` can name any knowledge base. */
export const KB_NAME_PATTERN = RESOURCE_NAME_PATTERN
export const KbParams = t.Object({ kb: t.String({ pattern: KB_NAME_PATTERN }) })
const JobParams = t.Object({ kb: t.String({ pattern: KB_NAME_PATTERN }), id: t.String({ pattern: '^kjob_[0-9a-f]{32}$' }) })
const Language = t.Union(KNOWLEDGE_LANGUAGES.map((l) => t.Literal(l)))
const MAX_URLS = 1000
const MAX_FAILURES_SHOWN = 100

/** The tenant's knowledge base of that name, or a 404. */
export async function findKnowledgeBase(storage: Pick<Storage, 'knowledge'>, tenantId: string, name: string): Promise<KnowledgeBase> {
  const kb = await storage.knowledge.bases.get(tenantId, name)
  if (!kb) throw new AppError('not_found', `knowledge base ${name} not found`)
  return kb
}

const kbView = (kb: KnowledgeBase) => ({
  id: kb.id, name: kb.name, description: kb.description, language: kb.language, urls: kb.urls, articles: kb.articles,
  passages: kb.passages, createdAt: kb.createdAt.toISOString(),
})

const jobView = (j: IndexJob, failures?: IndexItemFailure[]) => ({
  id: j.id, knowledgeBase: j.knowledgeBase, status: j.status, total: j.total, done: j.done, failed: j.failed, pending: j.pending,
  error: j.error, createdAt: j.createdAt.toISOString(), startedAt: j.startedAt?.toISOString() ?? null,
  finishedAt: j.finishedAt?.toISOString() ?? null, ...(failures ? { failures } : {}),
})

/** http(s) URLs without credentials; every bad one is named in the 400. */
function checkUrls(urls: string[]): string[] {
  const bad = urls.map((u, i) => ({ u, i })).filter(({ u }) => {
    const url = URL.canParse(u) ? new URL(u) : undefined
    return !url || !/^https?:$/.test(url.protocol) || url.username !== '' || url.password !== ''
  })
  if (bad.length > 0) {
    const error = new AppError('request.invalid', 'urls must be http(s) URLs without credentials')
    throw Object.assign(error, { details: bad.slice(0, 20).map(({ i }) => ({ path: `/urls/${i}`, message: 'not an http(s) URL without credentials' })) })
  }
  return [...new Set(urls)]
}

export function knowledgeRoutes(deps: KnowledgeRouteDeps) {
  const { knowledge } = deps.storage
  return new Elysia({ name: 'knowledge' })
    .use(requestGuard(deps))
    .post('/v1/knowledge-bases', async ({ body, tenant, set }) => {
      const kb = await knowledge.bases.create(tenant.tenantId, body)
      if (!kb) throw new AppError('knowledge.exists', `knowledge base ${body.name} already exists`)
      set.status = 201
      return kbView(kb)
    }, {
      scope: ['admin'],
      body: t.Object({
        name: t.String({ pattern: KB_NAME_PATTERN }), description: t.Optional(t.String({ maxLength: 1000 })), language: t.Optional(Language),
      }, { additionalProperties: false }),
      detail: { summary: 'Create a knowledge base (its name is letters, digits, _ . -, as an Agent names it)', tags: ['knowledge'] },
    })
    .get('/v1/knowledge-bases', async ({ tenant }) => ({ data: (await knowledge.bases.list(tenant.tenantId)).map(kbView) }),
      { scope: ['console'], detail: { summary: "The tenant's knowledge bases with their article and passage counts", tags: ['knowledge'] } })
    .get('/v1/knowledge-bases/:kb', async ({ params, tenant }) => kbView(await findKnowledgeBase(deps.storage, tenant.tenantId, params.kb)),
      { scope: ['console'], params: KbParams, detail: { summary: 'A knowledge base', tags: ['knowledge'] } })
    .put('/v1/knowledge-bases/:kb/urls', async ({ params, body, tenant }) => {
      const kb = await knowledge.bases.setUrls(tenant.tenantId, params.kb, checkUrls(body.urls))
      if (!kb) throw new AppError('not_found', `knowledge base ${params.kb} not found`)
      return kbView(kb)
    }, {
      scope: ['admin'], params: KbParams,
      body: t.Object({ urls: t.Array(t.String({ minLength: 1, maxLength: 2000 }), { maxItems: MAX_URLS }) }, { additionalProperties: false }),
      detail: {
        summary: 'Replace the URL list the re-index job fetches', tags: ['knowledge'],
        description: 'Each page becomes an article keyed by its URL; a URL taken off the list loses its article at the next re-index.',
      },
    })
    .post('/v1/knowledge-bases/:kb/reindex', async ({ params, tenant, set }) => {
      const planned = await knowledge.jobs.create(tenant.tenantId, params.kb)
      if (!planned) throw new AppError('not_found', `knowledge base ${params.kb} not found`)
      // Queued again when it already exists: a job whose queueing was lost is picked up, a live one is left alone.
      await deps.reindex.enqueue(planned.job.id).catch(async (e: unknown) => {
        if (planned.created) await knowledge.jobs.finish(planned.job.id, 'failed', 'the job could not be queued')
        throw new RetryableError('storage.unavailable', 'the re-index could not be queued; try again', 5000, { cause: e })
      })
      set.status = 202
      return { ...jobView(planned.job), created: planned.created }
    }, {
      scope: ['admin'], params: KbParams,
      detail: {
        summary: 'Re-index: fetch the URL list, re-chunk every article', tags: ['knowledge'],
        description: 'Answers 202 with the job; while one runs, asking again returns it (`created: false`). Follow it at `/jobs/:id`.',
      },
    })
    .get('/v1/knowledge-bases/:kb/jobs', async ({ params, query, tenant }) => {
      await findKnowledgeBase(deps.storage, tenant.tenantId, params.kb)
      return { data: (await knowledge.jobs.list(tenant.tenantId, params.kb, query.limit ?? 20)).map((j) => jobView(j)) }
    }, {
      scope: ['console'], params: KbParams,
      query: t.Object({ limit: t.Optional(t.Numeric({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }),
      detail: { summary: 'Re-index jobs, newest first', tags: ['knowledge'] },
    })
    .get('/v1/knowledge-bases/:kb/jobs/:id', async ({ params, tenant }) => {
      const job = await knowledge.jobs.get(tenant.tenantId, params.kb, params.id)
      if (!job) throw new AppError('not_found', `job ${params.id} not found`)
      return jobView(job, await knowledge.jobs.failures(job.id, MAX_FAILURES_SHOWN))
    }, {
      scope: ['console'], params: JobParams,
      detail: { summary: "A re-index job's progress (done of total) and its failed items", tags: ['knowledge'] },
    })
    .get('/v1/knowledge-bases/:kb/search', async ({ params, query, tenant }) => {
      await findKnowledgeBase(deps.storage, tenant.tenantId, params.kb)
      return { data: await knowledge.retrieve({ tenantId: tenant.tenantId, knowledgeBase: params.kb, query: query.q, limit: query.limit }) }
    }, {
      scope: ['console'], params: KbParams,
      query: t.Object({ q: t.String({ minLength: 1, maxLength: 10_000 }), limit: t.Optional(t.Numeric({ minimum: 1, maximum: 50 })) },
        { additionalProperties: false }),
      detail: {
        summary: 'Search passages (the same retrieval an agent gets per turn)', tags: ['knowledge'],
        description: 'Any text is a valid query. Each passage has its article id, passage id, version, title, heading path, text and score.',
      },
    })
}
