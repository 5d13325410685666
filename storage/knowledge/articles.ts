// Articles and their versions. An update writes a new version and moves the `live` mark to its passages in
// one transaction; earlier versions and their passages stay (citations of past turns still resolve). A
// deleted article keeps its versions but has no live passages, so search no longer sees it.
import type { TransactionSql } from 'postgres'
import type { Sql } from '../postgres/client.ts'
import type { TxSql } from '../postgres/idempotency.ts'
import { insertPassages, lockKnowledgeBase, retirePassages, type PassageRecord } from './passage-rows.ts'

export type ArticleSource = 'upload' | 'folder' | 'url'
export type ArticleFormat = 'markdown' | 'html'

export interface Article {
  id: string
  kbId: string
  /** The client's key, the file path or the URL; null for an unkeyed upload. */
  key: string | null
  source: ArticleSource
  title: string
  format: ArticleFormat
  /** The current version, from 1. */
  version: number
  /** Passages of the current version (0 once deleted). */
  passages: number
  createdAt: Date
  updatedAt: Date
  deletedAt: Date | null
}

export interface ArticleVersion {
  version: number
  title: string
  format: ArticleFormat
  contentHash: string
  createdAt: Date
}

export interface ArticleVersionContent extends ArticleVersion {
  content: string
  passages: PassageRecord[]
}

/** A prepared version to store (knowledge/ parses and chunks it). */
export interface ArticleWrite {
  id: string
  kbId: string
  key?: string
  source: ArticleSource
  title: string
  format: ArticleFormat
  content: string
  contentHash: string
  passages: PassageRecord[]
}

export interface PutOptions {
  /** create: refuse a live article under the id; update: the article must be live; upsert: either. */
  mode: 'create' | 'update' | 'upsert'
  /** Refuse unless this is the current version (optimistic concurrency). */
  expectedVersion?: number
}

export type PutOutcome =
  | { ok: true; article: Article; changed: boolean }
  | { ok: false; reason: 'exists' | 'not_found' | 'version_conflict'; current?: number }

export const articleColumns = `a.id, a.kb_id as "kbId", a.key, a.source, v.title, v.format, a.version,
  (select count(*) from knowledge_passages p where p.article_id = a.id and p.version = a.version and p.live)::int as passages,
  a.created_at as "createdAt", a.updated_at as "updatedAt", a.deleted_at as "deletedAt"`
const versionColumns = `v.version, v.title, v.format, v.content_hash as "contentHash", v.created_at as "createdAt"`

interface Locked {
  version: number
  deleted: boolean
  hash: string | null
}

async function lock(tx: TransactionSql, w: ArticleWrite, mode: PutOptions['mode']): Promise<Locked | undefined> {
  // A placeholder row (version 0) makes a concurrent first write of the same keyed article wait here.
  if (mode !== 'update') {
    await tx`insert into knowledge_articles (id, kb_id, key, source, version) values (${w.id}, ${w.kbId}, ${w.key ?? null}, ${w.source}, 0)
      on conflict (id) do nothing`
  }
  const [row] = await tx<Locked[]>`select a.version, a.deleted_at is not null as deleted, v.content_hash as hash
    from knowledge_articles a left join knowledge_article_versions v on v.article_id = a.id and v.version = a.version
    where a.id = ${w.id} and a.kb_id = ${w.kbId} for update of a`
  return row && row.version > 0 ? row : undefined
}

function refusal(row: Locked | undefined, options: PutOptions): PutOutcome | undefined {
  const live = row !== undefined && !row.deleted
  if (options.mode === 'create' && live) return { ok: false, reason: 'exists' }
  if (options.mode === 'update' && !live) return { ok: false, reason: 'not_found' }
  if (options.expectedVersion !== undefined && options.expectedVersion !== (row?.version ?? 0)) {
    return { ok: false, reason: 'version_conflict', current: row?.version ?? 0 }
  }
  return undefined
}

export function createArticles(sql: Sql) {
  const get = async (kbId: string, id: string, tx: Sql | TransactionSql = sql): Promise<Article | undefined> => {
    const [row] = await tx<Article[]>`select ${tx.unsafe(articleColumns)} from knowledge_articles a
      join knowledge_article_versions v on v.article_id = a.id and v.version = a.version where a.kb_id = ${kbId} and a.id = ${id}`
    return row
  }
  const write = async (tx: TransactionSql, w: ArticleWrite, options: PutOptions): Promise<PutOutcome> => {
    await lockKnowledgeBase(tx, w.kbId)
    const row = await lock(tx, w, options.mode)
    const refused = refusal(row, options)
    if (refused && !row) await tx`delete from knowledge_articles where id = ${w.id} and version = 0`
    if (refused) return refused
    if (row && !row.deleted && row.hash === w.contentHash) return { ok: true, article: (await get(w.kbId, w.id, tx))!, changed: false }
    const version = (row?.version ?? 0) + 1
    await tx`insert into knowledge_article_versions (article_id, version, title, format, content, content_hash)
      values (${w.id}, ${version}, ${w.title}, ${w.format}, ${w.content}, ${w.contentHash})`
    await retirePassages(tx, w.kbId, w.id)
    await insertPassages(tx, { articleId: w.id, version, kbId: w.kbId, title: w.title }, w.passages)
    await tx`update knowledge_articles set version = ${version}, deleted_at = null, updated_at = now() where id = ${w.id}`
    return { ok: true, article: (await get(w.kbId, w.id, tx))!, changed: true }
  }
  return {
    get,
    /** Stores a version unless its content hash equals the current one's; joins `tx` when it is a transaction. */
    async put(w: ArticleWrite, options: PutOptions, tx?: TxSql): Promise<PutOutcome> {
      return tx && 'savepoint' in tx ? write(tx, w, options) : sql.begin((t) => write(t, w, options))
    },
    /** Deletes the article from search, keeping its versions; repeating it changes nothing. */
    async remove(kbId: string, id: string): Promise<Article | undefined> {
      return sql.begin(async (tx) => {
        await lockKnowledgeBase(tx, kbId)
        const [deleted] = await tx`update knowledge_articles set deleted_at = now(), updated_at = now()
          where kb_id = ${kbId} and id = ${id} and deleted_at is null returning id`
        if (deleted) await retirePassages(tx, kbId, id)
        return get(kbId, id, tx)
      })
    },
    /** Deletes the article and all its versions for good (content uploaded by mistake); false when there is none. */
    async purge(kbId: string, id: string): Promise<boolean> {
      return sql.begin(async (tx) => {
        await lockKnowledgeBase(tx, kbId)
        const [row] = await tx`select id from knowledge_articles where kb_id = ${kbId} and id = ${id} for update`
        if (!row) return false
        await retirePassages(tx, kbId, id)
        await tx`delete from knowledge_articles where id = ${id}`
        return true
      })
    },
    /** Articles oldest first, after the article `after` when given. */
    async list(kbId: string, o: { limit: number; after?: string; includeDeleted?: boolean }): Promise<Article[]> {
      return sql<Article[]>`select ${sql.unsafe(articleColumns)} from knowledge_articles a
        join knowledge_article_versions v on v.article_id = a.id and v.version = a.version
        where a.kb_id = ${kbId} and (${o.includeDeleted ?? false} or a.deleted_at is null)
          and (${o.after ?? null}::text is null or (a.created_at, a.id) > (select created_at, id from knowledge_articles where id = ${o.after ?? null}))
        order by a.created_at, a.id limit ${o.limit}`
    },
    /** Live articles of one source with their keys (what a folder import or a URL list may prune). */
    async keyed(kbId: string, source: ArticleSource): Promise<{ id: string; key: string }[]> {
      return sql<{ id: string; key: string }[]>`select id, key from knowledge_articles
        where kb_id = ${kbId} and source = ${source} and key is not null and deleted_at is null and version > 0 order by key`
    },
    async versions(kbId: string, id: string): Promise<ArticleVersion[]> {
      return sql<ArticleVersion[]>`select ${sql.unsafe(versionColumns)} from knowledge_article_versions v
        join knowledge_articles a on a.id = v.article_id where a.kb_id = ${kbId} and a.id = ${id} order by v.version desc`
    },
    /** One version with its content and passages. */
    async version(kbId: string, id: string, version: number): Promise<ArticleVersionContent | undefined> {
      const [row] = await sql<(ArticleVersion & { content: string })[]>`select ${sql.unsafe(versionColumns)}, v.content
        from knowledge_article_versions v join knowledge_articles a on a.id = v.article_id
        where a.kb_id = ${kbId} and a.id = ${id} and v.version = ${version}`
      if (!row) return undefined
      const passages = await sql<PassageRecord[]>`select passage_id as id, ordinal, heading_path as "headingPath", text
        from knowledge_passages where article_id = ${id} and version = ${version} order by ordinal`
      return { ...row, passages }
    },
    /**
     * Replaces the passages of the article's current version (a re-index with new chunking), keeping the version.
     * False when the article was deleted or moved on to another version meanwhile.
     */
    async rechunk(kbId: string, id: string, version: number, passages: PassageRecord[]): Promise<boolean> {
      return sql.begin(async (tx) => {
        await lockKnowledgeBase(tx, kbId)
        const [row] = await tx<{ title: string }[]>`select v.title from knowledge_articles a
          join knowledge_article_versions v on v.article_id = a.id and v.version = a.version
          where a.kb_id = ${kbId} and a.id = ${id} and a.version = ${version} and a.deleted_at is null for update of a`
        if (!row) return false
        await retirePassages(tx, kbId, id)
        await tx`delete from knowledge_passages where article_id = ${id} and version = ${version}`
        await insertPassages(tx, { articleId: id, version, kbId, title: row.title }, passages)
        return true
      })
    },
  }
}
export type Articles = ReturnType<typeof createArticles>
