// Re-index jobs and their items, the durable half of the job: a job is planned whole when it is asked for
// (one item per URL to fetch, per URL article to drop, per other article to re-chunk), and each item is
// marked done as it completes, so a job that resumes after a crash does only what is left. Progress is
// counted from the items, so it is always the truth. One active job per knowledge base.
import type { Sql } from '../postgres/client.ts'

export type IndexJobStatus = 'queued' | 'running' | 'completed' | 'failed'
export type IndexItemKind = 'fetch' | 'rechunk' | 'remove'

export interface IndexJob {
  id: string
  kbId: string
  tenantId: string
  knowledgeBase: string
  status: IndexJobStatus
  total: number
  done: number
  failed: number
  pending: number
  /** Why the job as a whole failed (its items' failures are listed apart). */
  error: string | null
  createdAt: Date
  startedAt: Date | null
  finishedAt: Date | null
}

export interface IndexItem {
  seq: number
  kind: IndexItemKind
  /** The URL to fetch, or the article id. */
  ref: string
  attempts: number
  notBefore: Date | null
}

export interface IndexItemFailure {
  seq: number
  kind: IndexItemKind
  ref: string
  attempts: number
  code: string
  message: string
}

const KEPT_JOBS = 20

const jobColumns = `j.id, j.kb_id as "kbId", kb.tenant_id as "tenantId", kb.name as "knowledgeBase", j.status,
  (select count(*) from knowledge_index_items i where i.job_id = j.id)::int as total,
  (select count(*) from knowledge_index_items i where i.job_id = j.id and i.status = 'done')::int as done,
  (select count(*) from knowledge_index_items i where i.job_id = j.id and i.status = 'failed')::int as failed,
  (select count(*) from knowledge_index_items i where i.job_id = j.id and i.status = 'pending')::int as pending,
  j.error, j.created_at as "createdAt", j.started_at as "startedAt", j.finished_at as "finishedAt"`

export function createIndexJobs(sql: Sql) {
  const byId = async (id: string): Promise<IndexJob | undefined> => {
    const [row] = await sql<IndexJob[]>`select ${sql.unsafe(jobColumns)} from knowledge_index_jobs j
      join knowledge_bases kb on kb.id = j.kb_id where j.id = ${id}`
    return row
  }
  return {
    /**
     * Plans a job for the knowledge base, or returns its active one (`created: false`); undefined when the
     * tenant has no such knowledge base.
     */
    async create(tenantId: string, kbName: string): Promise<{ job: IndexJob; created: boolean } | undefined> {
      const planned = await sql.begin(async (tx) => {
        const [kb] = await tx<{ id: string; urls: string[] }[]>`select id, urls from knowledge_bases
          where tenant_id = ${tenantId} and name = ${kbName} for update`
        if (!kb) return undefined
        const [active] = await tx<{ id: string }[]>`select id from knowledge_index_jobs where kb_id = ${kb.id} and status in ('queued', 'running')`
        if (active) return { id: active.id, created: false }
        const id = `kjob_${Bun.randomUUIDv7().replaceAll('-', '')}`
        // History is bounded: the knowledge base keeps its latest finished jobs, with their items.
        await tx`delete from knowledge_index_jobs where kb_id = ${kb.id} and id not in (
          select id from knowledge_index_jobs where kb_id = ${kb.id} order by created_at desc, id desc limit ${KEPT_JOBS - 1})`
        await tx`insert into knowledge_index_jobs (id, kb_id) values (${id}, ${kb.id})`
        await tx`insert into knowledge_index_items (job_id, seq, kind, ref)
          select ${id}, row_number() over (order by o, n), kind, ref from (
            select 1 as o, u.n, 'fetch' as kind, u.url as ref from unnest(${kb.urls}::text[]) with ordinality u (url, n)
            union all
            select 2, row_number() over (order by a.created_at, a.id), 'remove', a.id from knowledge_articles a
              where a.kb_id = ${kb.id} and a.source = 'url' and a.deleted_at is null and a.version > 0 and a.key <> all (${kb.urls}::text[])
            union all
            select 3, row_number() over (order by a.created_at, a.id), 'rechunk', a.id from knowledge_articles a
              where a.kb_id = ${kb.id} and a.source <> 'url' and a.deleted_at is null and a.version > 0
          ) planned`
        return { id, created: true }
      })
      return planned && { job: (await byId(planned.id))!, created: planned.created }
    },
    async get(tenantId: string, kbName: string, id: string): Promise<IndexJob | undefined> {
      const job = await byId(id)
      return job && job.tenantId === tenantId && job.knowledgeBase === kbName ? job : undefined
    },
    /** The knowledge base's latest jobs, newest first. */
    async list(tenantId: string, kbName: string, limit: number): Promise<IndexJob[]> {
      return sql<IndexJob[]>`select ${sql.unsafe(jobColumns)} from knowledge_index_jobs j join knowledge_bases kb on kb.id = j.kb_id
        where kb.tenant_id = ${tenantId} and kb.name = ${kbName} order by j.created_at desc, j.id desc limit ${limit}`
    },
    async failures(id: string, limit: number): Promise<IndexItemFailure[]> {
      return sql<IndexItemFailure[]>`select seq, kind, ref, attempts, error_code as code, error_message as message
        from knowledge_index_items where job_id = ${id} and status = 'failed' order by seq limit ${limit}`
    },
    /** Marks the job running; undefined when it is unknown or already finished (a stale delivery). */
    async start(id: string): Promise<IndexJob | undefined> {
      const [row] = await sql`update knowledge_index_jobs set status = 'running', started_at = coalesce(started_at, now())
        where id = ${id} and status in ('queued', 'running') returning id`
      return row ? byId(id) : undefined
    },
    /** The next pending item not in `inFlight`, earliest due first (it may be due later). */
    async next(id: string, inFlight: number[]): Promise<IndexItem | undefined> {
      const [row] = await sql<IndexItem[]>`select seq, kind, ref, attempts, not_before as "notBefore" from knowledge_index_items
        where job_id = ${id} and status = 'pending' and seq <> all (${inFlight}::int[])
        order by not_before nulls first, seq limit 1`
      return row
    },
    async complete(id: string, seq: number, outcome: string): Promise<void> {
      await sql`update knowledge_index_items set status = 'done', outcome = ${outcome}, attempts = attempts + 1, finished_at = now()
        where job_id = ${id} and seq = ${seq}`
    },
    async fail(id: string, seq: number, error: { code: string; message: string }): Promise<void> {
      await sql`update knowledge_index_items set status = 'failed', error_code = ${error.code}, error_message = ${error.message},
        attempts = attempts + 1, finished_at = now() where job_id = ${id} and seq = ${seq}`
    },
    /** Counts a failed attempt and leaves the item pending until `notBefore`. */
    async defer(id: string, seq: number, notBefore: Date, error: { code: string; message: string }): Promise<void> {
      await sql`update knowledge_index_items set attempts = attempts + 1, not_before = ${notBefore}, error_code = ${error.code},
        error_message = ${error.message} where job_id = ${id} and seq = ${seq}`
    },
    async finish(id: string, status: 'completed' | 'failed', error?: string): Promise<void> {
      await sql`update knowledge_index_jobs set status = ${status}, error = ${error ?? null}, finished_at = now()
        where id = ${id} and status in ('queued', 'running')`
    },
    /** Ids of the jobs not finished yet, so a starting worker can queue them again. */
    async active(): Promise<string[]> {
      const rows = await sql<{ id: string }[]>`select id from knowledge_index_jobs where status in ('queued', 'running') order by created_at`
      return rows.map((r) => r.id)
    },
  }
}
export type IndexJobs = ReturnType<typeof createIndexJobs>
