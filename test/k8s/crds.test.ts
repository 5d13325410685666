// The CRDs in k8s/crds/ are the schemas the file loaders use, are structural (what the API server accepts),
// and accept every shipped example document.
import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Glob } from 'bun'
import { parse, parseAllDocuments, stringify } from 'yaml'
import { routingPolicyCrd } from '../../policy/index.ts'
import { parseRetentionPolicies, retentionPolicyCrd, RETENTION_API_VERSION } from '../../storage/index.ts'
import { resourceCrd } from '../../resources/index.ts'

const ROOT = join(import.meta.dir, '..', '..')
const onDisk = (file: string) => parse(readFileSync(join(ROOT, 'k8s', 'crds', file), 'utf8'))

interface Schema {
  type?: string
  required?: string[]
  properties?: Record<string, Schema>
  additionalProperties?: Schema
  items?: Schema
  enum?: unknown[]
  default?: unknown
  minimum?: number
  exclusiveMinimum?: boolean
  maximum?: number
  minLength?: number
  minItems?: number
  pattern?: string
  'x-kubernetes-preserve-unknown-fields'?: boolean
}

const TYPES: Record<string, (v: unknown) => boolean> = {
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  array: Array.isArray,
  string: (v) => typeof v === 'string',
  integer: Number.isInteger,
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
}

/**
 * The keywords our CRDs use, checked after defaulting as the API server does. A field the schema does not
 * know is reported: the API server would silently prune it, so the example would not mean what it says.
 */
function violations(schema: Schema, value: unknown, path = ''): string[] {
  const at = path || '/'
  if (schema.type && !TYPES[schema.type]!(value)) return [`${at}: not ${schema.type}`]
  const out: string[] = []
  if (schema.enum && !schema.enum.includes(value)) out.push(`${at}: not one of ${schema.enum.join(', ')}`)
  if (typeof value === 'number') {
    const low = schema.minimum !== undefined && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)
    if (low || (schema.maximum !== undefined && value > schema.maximum)) out.push(`${at}: out of range`)
  }
  if (typeof value === 'string' && ((schema.minLength ?? 0) > value.length || (schema.pattern && !new RegExp(schema.pattern).test(value)))) out.push(`${at}: bad string`)
  if (Array.isArray(value)) {
    if ((schema.minItems ?? 0) > value.length) out.push(`${at}: too few items`)
    value.forEach((item, i) => out.push(...violations(schema.items ?? {}, item, `${path}/${i}`)))
  }
  if (TYPES.object!(value) && !schema['x-kubernetes-preserve-unknown-fields']) {
    const fields = value as Record<string, unknown>
    for (const key of schema.required ?? []) if (!(key in fields) && schema.properties?.[key]?.default === undefined) out.push(`${path}/${key}: required`)
    for (const [key, v] of Object.entries(fields)) {
      const field = schema.properties?.[key] ?? schema.additionalProperties
      out.push(...(field ? violations(field, v, `${path}/${key}`) : [`${path}/${key}: unknown field`]))
    }
  }
  return out
}

// Resource documents live together (demo/resources, examples/): each CRD takes the documents of its kind.
const RESOURCE_DOCS = ['demo/resources/**/*.yaml', 'examples/**/*.yaml']
const CRDS = [
  { file: 'routing-policy.yaml', build: routingPolicyCrd, examples: 'policies/*.yaml', exported: 'routingPolicyCrd', from: './policy/index.ts' },
  { file: 'retention-policy.yaml', build: retentionPolicyCrd, examples: 'retention/*.yaml', exported: 'retentionPolicyCrd', from: './storage/index.ts' },
  ...([['agent.yaml', 'Agent'], ['tool.yaml', 'Tool'], ['mcp-server.yaml', 'McpServer'], ['agent-policy.yaml', 'AgentPolicy'], ['campaign.yaml', 'Campaign']] as const).map(([file, kind]) => ({
    file, build: () => resourceCrd(kind), examples: RESOURCE_DOCS, exported: `resourceCrd('${kind}')`, from: './resources/index.ts', kind,
  })),
]

describe.each(CRDS)('k8s/crds/$file', (crd) => {
  test('is the schema the loader uses', () => {
    const call = crd.exported.includes('(') ? crd.exported : `${crd.exported}()`
    const regenerate = `regenerate: bun -e "import {stringify} from 'yaml'; import {${crd.exported.split('(')[0]}} from '${crd.from}'; console.log(stringify(${call}))"`
    expect(onDisk(crd.file), regenerate).toEqual(crd.build())
  })

  test('is structural: a type on every node, no unions of objects or pattern properties', () => {
    const untyped = (node: any, path: string): string[] => {
      if (typeof node !== 'object' || node === null) return []
      const own = node.type || node['x-kubernetes-preserve-unknown-fields'] || node['x-kubernetes-int-or-string'] ? [] : [path]
      const children = [...Object.entries(node.properties ?? {}), ['items', node.items], ['additionalProperties', node.additionalProperties]]
      return [...own, ...children.flatMap(([k, v]) => (v && typeof v === 'object' ? untyped(v, `${path}/${k}`) : []))]
    }
    const built = crd.build() as any
    expect(untyped(built.spec.versions[0].schema.openAPIV3Schema, '')).toEqual([])
    const text = JSON.stringify(built)
    expect(text).not.toContain('anyOf')
    expect(text).not.toContain('patternProperties')
    expect(text).not.toContain('"additionalProperties":false')
  })

  test('accepts every shipped example document', async () => {
    const { spec } = onDisk(crd.file)
    const version = spec.versions[0]
    const globs = typeof crd.examples === 'string' ? [crd.examples] : crd.examples
    const files = (await Promise.all(globs.map((g) => Array.fromAsync(new Glob(g).scan({ cwd: ROOT }))))).flat()
    const docs = files.flatMap((f) => parseAllDocuments(readFileSync(join(ROOT, f), 'utf8')).map((d) => d.toJS()).filter(Boolean))
      .filter((doc) => !('kind' in crd) || doc.kind === crd.kind)
    expect(docs.length).toBeGreaterThan(0)
    for (const doc of docs) {
      expect(`${doc.apiVersion} ${doc.kind}`).toBe(`${spec.group}/${version.name} ${spec.names.kind}`)
      expect(violations(version.schema.openAPIV3Schema, { spec: doc.spec })).toEqual([])
    }
  })
})

// Guards the check above against passing vacuously, and shows the loader and the CRD agree on what is wrong.
test('the retention CRD and the loader reject the same fields', () => {
  const schema: Schema = onDisk('retention-policy.yaml').spec.versions[0].schema.openAPIV3Schema
  const spec = { version: 0, tenant: '', hot: {}, warm: { days: -1 }, cold: {}, colde: {} }
  const paths = ['/spec/version', '/spec/tenant', '/spec/hot/ttlSeconds', '/spec/warm/days', '/spec/colde']
  expect(violations(schema, { spec }).map((v) => v.split(':')[0])).toEqual(paths)
  const doc = stringify({ apiVersion: RETENTION_API_VERSION, kind: 'RetentionPolicy', metadata: { name: 'x' }, spec })
  let message = ''
  try { parseRetentionPolicies(doc) } catch (e) { message = (e as Error).message }
  for (const path of paths) expect(message).toContain(path)
})
