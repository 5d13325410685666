// The layering of STYLE.md §1, enforced: allowed folder-to-folder imports, imports through each folder's
// index.ts only (actors/protocol.ts excepted), each vendor owned by one folder, no `export *`, no cycles.
import { describe, expect, test } from 'bun:test'
import { Glob } from 'bun'
import { dirname, join, relative } from 'node:path'

const ROOT = join(import.meta.dir, '..')
const COMPOSITION_ROOT = ['main', 'platform', 'platform-worker', 'platform-routing', 'platform-resources', 'platform-recovery', 'platform-console', 'platform-controller', 'platform-arena', 'platform-arena-cli']

/** Which folders each folder may import from (`actors/protocol` is the shared leaf). */
const ALLOWED: Record<string, string[]> = {
  lib: [],
  policy: ['lib'],
  providers: ['lib'],
  storage: ['lib'],
  emulator: ['lib'],
  resources: ['lib', 'policy'],
  outreach: ['lib', 'resources'],
  kpis: ['lib'],
  analytics: ['lib', 'storage', 'kpis'],
  warehouse: ['lib', 'storage', 'policy'],
  agents: ['lib', 'resources', 'storage', 'tools', 'providers', 'policy', 'actors'],
  tools: ['lib', 'storage'],
  knowledge: ['lib', 'storage'],
  queues: ['lib', 'actors/protocol'],
  actors: ['lib', 'policy', 'providers', 'storage', 'outreach', 'resources'],
  channels: ['lib', 'queues', 'storage', 'actors/protocol'],
  controller: ['lib', 'resources', 'policy', 'storage'],
  api: ['lib', 'queues', 'storage', 'channels', 'resources', 'knowledge', 'policy', 'kpis', 'actors/protocol', 'arena'],
  // the console's browser code: pure lib/ modules only (its wire types are its own)
  console: ['lib'],
  // scenarios, simulated customers, grading and run bookkeeping; the runtime is reached through the lanes
  // the composition root hands it
  arena: ['lib', 'providers', 'storage', 'tools', 'policy'],
}

/** Packages only their owner may import (tests and benchmarks may drive them directly). */
const VENDOR_OWNERS: Array<[RegExp, string[]]> = [
  [/^bullmq(-otel)?$/, ['queues']],
  [/^postgres$/, ['storage']],
  [/^@aws-sdk\/client-s3$/, ['storage']],
  [/^(openai|@anthropic-ai\/(sdk|bedrock-sdk|vertex-sdk)|@google\/genai|google-auth-library|@aws-sdk\/client-bedrock-runtime)$/, ['providers']],
  [/^elysia$|^@elysiajs\//, ['api']],
  [/^@modelcontextprotocol\/sdk/, ['tools']],
  [/^(marked|htmlparser2)$/, ['knowledge']],
  [/^@kubernetes\/client-node$/, ['controller']],
  [/^@clickhouse\/client$|^hyparquet-writer$/, ['warehouse']],
  [/^prom-client$|^@opentelemetry\/(sdk-|exporter-|resources)/, ['lib/telemetry.ts', 'lib/metrics.ts']],
]

interface Import {
  from: string
  target: string
  typeOnly: boolean
  packageName?: string
}

const folderOf = (file: string) => (file.includes('/') ? file.split('/')[0]! : file.replace(/\.ts$/, ''))
const areaOf = (file: string) => (file.startsWith('actors/protocol') ? 'actors/protocol' : folderOf(file))

async function sourceImports(): Promise<Import[]> {
  const out: Import[] = []
  for await (const file of new Glob('**/*.ts').scan({ cwd: ROOT })) {
    if (/^(node_modules|test|bench)\//.test(file)) continue
    const text = await Bun.file(join(ROOT, file)).text()
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm)) {
      const spec = m[2]!
      const local = spec.startsWith('.')
      const target = local ? relative(ROOT, join(ROOT, dirname(file), spec)) : spec
      out.push({ from: file, target, typeOnly: Boolean(m[1]), ...(local ? {} : { packageName: spec }) })
    }
  }
  return out
}

const imports = await sourceImports()
const local = imports.filter((i) => !i.packageName)

describe('architecture', () => {
  test('folders import only what the layering allows', () => {
    const bad = local.filter((i) => {
      const from = folderOf(i.from)
      const to = areaOf(i.target)
      if (COMPOSITION_ROOT.includes(from) || from === folderOf(i.target)) return false
      return !(ALLOWED[from] ?? []).includes(to) && !(ALLOWED[from] ?? []).includes(folderOf(i.target))
    })
    expect(bad.map((i) => `${i.from} → ${i.target}`)).toEqual([])
  })

  // lib/ is a set of leaf modules (config, errors, log, clock…) imported one by one, as STYLE.md lays it out.
  test('other folders are reached through their index.ts (actors/protocol.ts and lib/ excepted)', () => {
    const deep = local.filter((i) => {
      if (folderOf(i.from) === folderOf(i.target) || !i.target.includes('/') || i.target.startsWith('lib/')) return false
      return !/^[^/]+\/index\.ts$/.test(i.target) && i.target !== 'actors/protocol.ts'
    })
    expect(deep.map((i) => `${i.from} → ${i.target}`)).toEqual([])
  })

  test('each vendor package is imported by its owner only', () => {
    const bad = imports.filter((i) => i.packageName && !i.typeOnly).filter((i) => {
      const rule = VENDOR_OWNERS.find(([pattern]) => pattern.test(i.packageName!))
      return rule && !rule[1].some((owner) => i.from === owner || folderOf(i.from) === owner)
    })
    expect(bad.map((i) => `${i.from} → ${i.packageName}`)).toEqual([])
  })

  test('no export *', async () => {
    const offenders: string[] = []
    for await (const file of new Glob('**/*.ts').scan({ cwd: ROOT })) {
      if (file.startsWith('node_modules/')) continue
      if (/^export \* /m.test(await Bun.file(join(ROOT, file)).text())) offenders.push(file)
    }
    expect(offenders).toEqual([])
  })

  test('no import cycles between modules (value imports)', () => {
    const graph = new Map<string, string[]>()
    for (const i of local.filter((x) => !x.typeOnly)) graph.set(i.from, [...(graph.get(i.from) ?? []), i.target])
    const cycles: string[] = []
    const state = new Map<string, 'visiting' | 'done'>()
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === 'done') return
      if (state.get(node) === 'visiting') return void cycles.push([...path.slice(path.indexOf(node)), node].join(' → '))
      state.set(node, 'visiting')
      for (const next of graph.get(node) ?? []) visit(next, [...path, node])
      state.set(node, 'done')
    }
    for (const node of graph.keys()) visit(node, [])
    expect(cycles).toEqual([])
  })
})
