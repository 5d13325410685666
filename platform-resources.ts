// Resource documents from files (RESOURCES_DIR, and the ROUTING_POLICY and RETENTION_POLICIES files): applied as
// the operator when the process starts, and again whenever a file changes, through the same versioned store the
// API writes. A start with an invalid document fails loudly; a bad edit later is logged and the versions in force
// stay. Part of the composition root.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { applyResource, type ApplyDeps, type BuiltinTool } from './api/index.ts'
import type { Logger } from './lib/log.ts'
import { APPLY_ORDER, parseResourceDocuments } from './resources/index.ts'
import { RETAIL_TOOLS } from './tools/index.ts'
import { WORKFLOW_TOOLS } from './agents/index.ts'

/** Tools every tenant has without declaring them (the retail tools and the workflows): what policies may name. */
export const BUILTIN_TOOLS: readonly BuiltinTool[] = [
  ...RETAIL_TOOLS.filter((t) => !t.internal).map((t) => ({ name: t.name, type: t.type, args: Object.keys((t.parameters as { properties?: object }).properties ?? {}) })),
  ...WORKFLOW_TOOLS,
]

/** The YAML files of each path: a directory's (recursively), or the file itself. */
function yamlFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => (statSync(path).isDirectory()
    ? readdirSync(path, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(path, f)).sort()
    : [path]))
}

const fingerprint = (files: string[]) => files.map((f) => {
  const s = statSync(f)
  return `${f}:${s.mtimeMs}:${s.size}`
}).join('|')

/** Every document of the files, applied so that what others refer to comes first, whichever file holds it. */
async function applyFiles(paths: readonly string[], deps: ApplyDeps, log: Logger): Promise<void> {
  const docs = yamlFiles(paths).flatMap((file) => {
    const source = relative(process.cwd(), file)
    return parseResourceDocuments(readFileSync(file, 'utf8'), source).map((doc) => ({ doc, source }))
  })
  docs.sort((a, b) => APPLY_ORDER.indexOf(a.doc.kind) - APPLY_ORDER.indexOf(b.doc.kind))
  for (const { doc, source } of docs) {
    const applied = await applyResource(deps, { kind: 'operator', by: `file:${source}` }, { kind: doc.kind, name: doc.metadata.name, spec: doc.spec })
    if (applied.changed) log.info('resource applied', { file: source, resource: `${doc.kind}/${doc.metadata.name}@${applied.resource.version}` })
  }
}

export interface ResourceFiles {
  close(): void
}

/** Applies the files (directories or single files) now, throwing if a document is invalid, then polls them for changes. */
export async function watchResourceFiles(options: { paths: readonly string[]; apply: ApplyDeps; log: Logger; pollMs: number }): Promise<ResourceFiles> {
  const { paths, apply, log } = options
  await applyFiles(paths, apply, log)
  const stampNow = () => {
    try {
      return fingerprint(yamlFiles(paths))
    } catch {
      return 'missing' // a file mid-swap (a ConfigMap update): the next poll sees the new one
    }
  }
  let stamp = stampNow()
  let running = false
  const timer = setInterval(() => {
    if (running) return
    const now = stampNow()
    if (now === stamp || now === 'missing') return
    running = true
    applyFiles(paths, apply, log)
      .then(() => void (stamp = now))
      .catch((e: Error) => {
        stamp = now
        log.error('resource documents rejected; the versions in force stay', { paths, error: e })
      })
      .finally(() => void (running = false))
  }, options.pollMs)
  timer.unref()
  return { close: () => clearInterval(timer) }
}
