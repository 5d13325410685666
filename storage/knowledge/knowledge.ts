// Knowledge storage in one place: knowledge bases, versioned articles, passage retrieval and re-index jobs.
import type { Sql } from '../postgres/client.ts'
import { createArticles } from './articles.ts'
import { createIndexJobs } from './index-jobs.ts'
import { createKnowledgeBases } from './knowledge-bases.ts'
import { createRetrieval } from './retrieval.ts'

export function createKnowledge(sql: Sql) {
  return {
    bases: createKnowledgeBases(sql),
    articles: createArticles(sql),
    jobs: createIndexJobs(sql),
    ...createRetrieval(sql),
  }
}
export type Knowledge = ReturnType<typeof createKnowledge>
