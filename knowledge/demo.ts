// The demo tenant's knowledge base: the retail policy and the help articles written from it
// (data/retail/help-center), imported on every start; unchanged files are left alone.
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Knowledge } from '../storage/index.ts'
import { importFolder, type ImportReport } from './folder-import.ts'

/** The name of the demo tenant's knowledge base. */
export const DEMO_KNOWLEDGE_BASE = 'help-center'
const RETAIL = join(import.meta.dir, '..', 'data', 'retail')

export async function ensureDemoKnowledge(knowledge: Pick<Knowledge, 'bases' | 'articles'>, tenantId: string): Promise<ImportReport> {
  const kb = await knowledge.bases.ensure(tenantId, {
    name: DEMO_KNOWLEDGE_BASE, description: 'The retail store policy and help articles written from it',
  })
  const help = (await readdir(join(RETAIL, 'help-center'))).filter((f) => f.endsWith('.md')).sort().map((f) => `help-center/${f}`)
  return importFolder(knowledge, kb.id, { root: RETAIL, files: ['policy.md', ...help] })
}
