// A tenant's knowledge bases: named collections of articles, each with its text-search language and the URL
// list its re-index job fetches. Every query is scoped by tenant, so a foreign name reads as absent.
import type { Sql } from '../postgres/client.ts'

/** Text-search configurations a knowledge base may use (Postgres built-ins; `simple` only lowercases). */
export const KNOWLEDGE_LANGUAGES = [
  'simple', 'arabic', 'armenian', 'basque', 'catalan', 'danish', 'dutch', 'english', 'finnish', 'french', 'german', 'greek',
  'hindi', 'hungarian', 'indonesian', 'irish', 'italian', 'lithuanian', 'nepali', 'norwegian', 'portuguese', 'romanian',
  'russian', 'serbian', 'spanish', 'swedish', 'tamil', 'turkish', 'yiddish',
] as const
export type KnowledgeLanguage = (typeof KNOWLEDGE_LANGUAGES)[number]

export interface KnowledgeBase {
  id: string
  tenantId: string
  name: string
  description: string
  language: KnowledgeLanguage
  /** Pages the re-index job fetches, each kept as an article keyed by its URL. */
  urls: string[]
  /** Live (not deleted) articles. */
  articles: number
  /** Passages search reads: those of the current version of live articles. */
  passages: number
  createdAt: Date
}

export interface NewKnowledgeBase {
  name: string
  description?: string
  /** @defaultValue 'english' */
  language?: KnowledgeLanguage
}

const columns = `kb.id, kb.tenant_id as "tenantId", kb.name, kb.description, kb.language, kb.urls, kb.created_at as "createdAt",
  (select count(*) from knowledge_articles a where a.kb_id = kb.id and a.deleted_at is null and a.version > 0)::int as articles,
  kb.passages`

export function createKnowledgeBases(sql: Sql) {
  const get = async (tenantId: string, name: string): Promise<KnowledgeBase | undefined> => {
    const [row] = await sql<KnowledgeBase[]>`select ${sql.unsafe(columns)} from knowledge_bases kb
      where kb.tenant_id = ${tenantId} and kb.name = ${name}`
    return row
  }
  return {
    get,
    /** Creates the knowledge base; undefined when the tenant already has one of that name. */
    async create(tenantId: string, kb: NewKnowledgeBase): Promise<KnowledgeBase | undefined> {
      const id = `kb_${Bun.randomUUIDv7().replaceAll('-', '')}`
      const [row] = await sql`insert into knowledge_bases (id, tenant_id, name, description, language)
        values (${id}, ${tenantId}, ${kb.name}, ${kb.description ?? ''}, ${kb.language ?? 'english'})
        on conflict (tenant_id, name) do nothing returning id`
      return row ? get(tenantId, kb.name) : undefined
    },
    /** Creates it unless it exists; returns it either way. */
    async ensure(tenantId: string, kb: NewKnowledgeBase): Promise<KnowledgeBase> {
      return (await this.create(tenantId, kb)) ?? (await get(tenantId, kb.name))!
    },
    async list(tenantId: string): Promise<KnowledgeBase[]> {
      return sql<KnowledgeBase[]>`select ${sql.unsafe(columns)} from knowledge_bases kb where kb.tenant_id = ${tenantId} order by kb.name`
    },
    /** Replaces the URL list (fetched by the next re-index); undefined when there is no such knowledge base. */
    async setUrls(tenantId: string, name: string, urls: string[]): Promise<KnowledgeBase | undefined> {
      const [row] = await sql`update knowledge_bases set urls = ${urls}::text[] where tenant_id = ${tenantId} and name = ${name} returning id`
      return row ? get(tenantId, name) : undefined
    },
  }
}
export type KnowledgeBases = ReturnType<typeof createKnowledgeBases>
