// The CRDs in k8s/crds/ are the schemas the file loaders and the API use, are structural (what the API server
// accepts), and accept every example document in the repository: YAML files and the README's YAML blocks.
import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse, parseAllDocuments, stringify } from 'yaml'
import { SWITCHBOARD_API_VERSION } from '../../lib/crd.ts'
import { parseResourceDocuments, resourceCrd, RESOURCE_KINDS } from '../../resources/index.ts'
import { createValidator, type K8sObject } from './schema-validator.ts'

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

const FILES: Record<string, string> = {
  Agent: 'agent.yaml', Tool: 'tool.yaml', McpServer: 'mcp-server.yaml', AgentPolicy: 'agent-policy.yaml', Campaign: 'campaign.yaml',
  RoutingPolicy: 'routing-policy.yaml', RetentionPolicy: 'retention-policy.yaml',
}
const CRDS = RESOURCE_KINDS.map((kind) => ({ kind, file: FILES[kind]!, build: () => resourceCrd(kind) }))

interface Example {
  where: string
  doc: { apiVersion?: string; kind?: string; metadata?: { name?: string }; spec?: unknown }
}

/** Every Switchboard document in the repository's YAML files and Markdown YAML blocks (CRDs and tests aside). */
function examples(): Example[] {
  const git = Bun.spawnSync(['git', 'ls-files', '-co', '--exclude-standard', '*.yaml', '*.yml', '*.md'], { cwd: ROOT })
  const files = git.stdout.toString().split('\n').filter((f) => f && !f.startsWith('k8s/crds/') && !f.startsWith('test/') && !f.startsWith('node_modules/'))
  return files.flatMap((file) => {
    const text = readFileSync(join(ROOT, file), 'utf8')
    const blocks = file.endsWith('.md') ? [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1]!) : [text]
    return blocks.filter((b) => b.includes(SWITCHBOARD_API_VERSION)).flatMap((block, b) =>
      parseAllDocuments(block).map((d) => d.toJS()).filter(Boolean).map((doc, i) => ({ where: `${file} block ${b + 1} #${i + 1}`, doc })))
  })
}
const EXAMPLES = examples()

describe.each(CRDS)('k8s/crds/$file', (crd) => {
  test('is the schema the loader uses', () => {
    const regenerate = `regenerate: bun -e "import {stringify} from 'yaml'; import {resourceCrd} from './resources/index.ts'; console.log(stringify(resourceCrd('${crd.kind}')))"`
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

  test('accepts every example document of its kind in the repository', () => {
    const { spec } = onDisk(crd.file)
    const version = spec.versions[0]
    const docs = EXAMPLES.filter((e) => e.doc.kind === crd.kind)
    expect(docs.length).toBeGreaterThan(0)
    for (const { where, doc } of docs) {
      expect(`${doc.apiVersion} ${doc.kind}`, where).toBe(`${spec.group}/${version.name} ${spec.names.kind}`)
      expect(violations(version.schema.openAPIV3Schema, { spec: doc.spec }), where).toEqual([])
    }
  })
})

// The offline validator the rendered manifests go through (Ajv over the CRDs as written in k8s/crds/), with no
// defaults filled in: what `kubectl apply --dry-run=client --validate=strict` of the file would say.
test('every example document in the repository is valid against its CRD for the offline validator', () => {
  const validator = createValidator(CRDS.map((c) => readFileSync(join(ROOT, 'k8s', 'crds', c.file), 'utf8')))
  const problems = EXAMPLES.flatMap(({ where, doc }) => validator.problems(doc as K8sObject).map((p) => `${where} ${p}`))
  expect(problems).toEqual([])
  const outreach = EXAMPLES.find((e) => e.doc.kind === 'RetentionPolicy' && e.doc.metadata?.name === 'outreach')!
  const { tenant: _, ...withoutTenant } = outreach.doc.spec as Record<string, unknown>
  expect(validator.problems({ ...outreach.doc, spec: withoutTenant } as K8sObject), 'tenant defaults to every tenant').toEqual([])
  const { version: _v, ...noVersion } = withoutTenant
  expect(validator.problems({ ...outreach.doc, spec: noVersion } as K8sObject)).toEqual(["/spec: must have required property 'version'"])
  expect(validator.problems({ ...outreach.doc, spec: { ...withoutTenant, colde: {} } } as K8sObject)).toEqual(['/spec: must NOT have additional properties (colde)'])
})

test('every example document in the repository is of a known kind and passes the loader', () => {
  expect(EXAMPLES.length).toBeGreaterThan(RESOURCE_KINDS.length)
  for (const { where, doc } of EXAMPLES) {
    expect(RESOURCE_KINDS as string[], where).toContain(doc.kind!)
    expect(() => parseResourceDocuments(stringify(doc), where), where).not.toThrow()
  }
})

// Guards the check above against passing vacuously, and shows the loader and the CRD agree on what is wrong.
test('the retention CRD and the loader reject the same fields', () => {
  const schema: Schema = onDisk('retention-policy.yaml').spec.versions[0].schema.openAPIV3Schema
  const spec = { version: 0, tenant: '', hot: {}, warm: { days: -1 }, cold: {}, colde: {} }
  const paths = ['/spec/version', '/spec/tenant', '/spec/hot/ttlSeconds', '/spec/warm/days', '/spec/colde']
  expect(violations(schema, { spec }).map((v) => v.split(':')[0])).toEqual(paths)
  const doc = stringify({ apiVersion: SWITCHBOARD_API_VERSION, kind: 'RetentionPolicy', metadata: { name: 'x' }, spec })
  let message = ''
  try { parseResourceDocuments(doc) } catch (e) { message = (e as Error).message }
  for (const path of paths) expect(message).toContain(path)
})

// The CRD alone cannot know a chain's models; the loader (and so the API and the controller) does.
test('the routing CRD and the loader reject the same unknown field; the loader also checks references', () => {
  const schema: Schema = onDisk('routing-policy.yaml').spec.versions[0].schema.openAPIV3Schema
  const spec = { version: 'v1', models: {}, rules: [], default: { chain: ['gpt-5'] }, tenant: 'acme' }
  expect(violations(schema, { spec })).toEqual(['/spec/tenant: unknown field'])
  const doc = (s: object) => stringify({ apiVersion: SWITCHBOARD_API_VERSION, kind: 'RoutingPolicy', metadata: { name: 'r' }, spec: s })
  expect(() => parseResourceDocuments(doc(spec))).toThrow('/spec/tenant')
  const { tenant: _, ...platform } = spec
  expect(() => parseResourceDocuments(doc(platform))).toThrow('/spec/default/chain/0: unknown model "gpt-5"')
})
