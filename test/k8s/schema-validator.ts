// Offline validation of Kubernetes objects, as strict as `kubectl apply --validate=strict` with no defaults filled:
// built-in kinds against the pinned Kubernetes 1.32 JSON schemas, custom resources against their CRDs' OpenAPI
// schemas (KEDA, prometheus-operator, Switchboard's own), where a field the schema does not know is an error.
import Ajv, { type ValidateFunction } from 'ajv'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parseAllDocuments } from 'yaml'

const SCHEMAS = join(import.meta.dir, 'schemas')

export interface K8sObject {
  apiVersion: string
  kind: string
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> }
  [field: string]: any
}

/** All documents of a YAML text (kubectl kustomize output, a CRD file). */
export const parseObjects = (text: string): K8sObject[] => parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean)

/** `deployment-apps-v1.json` for apps/v1 Deployment, `service-v1.json` for v1 Service (openapi2jsonschema's names). */
const builtinFile = (apiVersion: string, kind: string) => {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion]
  return `${kind.toLowerCase()}${group ? `-${group!.split('.')[0]}` : ''}-${version}.json`
}

/**
 * A CRD's OpenAPI v3.0 schema as JSON Schema for Ajv: `nullable` and int-or-string spelled out, and every object
 * that lists its properties closed to others unless the CRD keeps unknown fields.
 */
function fromOpenApi(schema: any, root = false): any {
  if (Array.isArray(schema)) return schema.map((s) => fromOpenApi(s))
  if (typeof schema !== 'object' || schema === null) return schema
  const out: any = {}
  for (const [k, v] of Object.entries(schema)) {
    if (k.startsWith('x-kubernetes-') || k === 'nullable' || k === 'description') continue
    out[k] = ['properties', 'patternProperties', 'definitions'].includes(k)
      ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, fromOpenApi(s)]))
      : fromOpenApi(v)
  }
  if (schema['x-kubernetes-int-or-string']) {
    delete out.type
    out.anyOf = [{ type: 'integer' }, { type: 'string' }]
  }
  // OpenAPI v3.0's boolean exclusive bound is a number in the JSON Schema Ajv speaks.
  if (typeof schema.exclusiveMinimum === 'boolean') {
    delete out.exclusiveMinimum
    if (schema.exclusiveMinimum) (out.exclusiveMinimum = schema.minimum), delete out.minimum
  }
  if (schema.nullable && typeof out.type === 'string') out.type = [out.type, 'null']
  // ObjectMeta is the API server's own (checked apart from the CRD's schema).
  if (root) out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, ...out.properties, metadata: { type: 'object' } }
  // The API server prunes what an object's schema does not name (an object naming nothing keeps nothing).
  const closed = out.properties || out.type === 'object'
  if (closed && out.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false
  return out
}

export interface Validator {
  /** Problems of one object (`[]` when it is valid), each as `path: message`. */
  problems(obj: K8sObject): string[]
}

/** Loads the pinned schemas and every CRD in `crdTexts` (the project's own, from the rendered output or k8s/crds). */
export function createValidator(crdTexts: string[] = []): Validator {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false })
  const compiled = new Map<string, ValidateFunction>()
  const crds = [...readdirSync(join(SCHEMAS, 'crds')).map((f) => readFileSync(join(SCHEMAS, 'crds', f), 'utf8')), ...crdTexts].flatMap(parseObjects)
    .filter((o) => o.kind === 'CustomResourceDefinition')
  for (const crd of crds) {
    for (const v of crd.spec.versions) compiled.set(`${crd.spec.group}/${v.name} ${crd.spec.names.kind}`, ajv.compile(fromOpenApi(v.schema.openAPIV3Schema, true)))
  }
  const validatorFor = (obj: K8sObject): ValidateFunction | undefined => {
    const key = `${obj.apiVersion} ${obj.kind}`
    if (compiled.has(key)) return compiled.get(key)
    const file = join(SCHEMAS, 'kubernetes-v1.32.2', builtinFile(obj.apiVersion, obj.kind))
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      return undefined
    }
    const fn = ajv.compile(JSON.parse(text))
    compiled.set(key, fn)
    return fn
  }
  return {
    problems(obj) {
      const validate = validatorFor(obj)
      if (!validate) return [`no schema pinned for ${obj.apiVersion} ${obj.kind}`]
      if (validate(obj)) return []
      return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`)
    },
  }
}

/** The kubectl on PATH, if its Kustomize is v5 or newer (the overlays use v5's `patches` with targets). */
export function findKubectl(): string | undefined {
  const path = Bun.which('kubectl')
  if (!path) return undefined
  const out = Bun.spawnSync([path, 'version', '--client', '-o', 'json'], { stderr: 'ignore' })
  const major = Number(/"kustomizeVersion":\s*"v(\d+)/.exec(out.stdout.toString())?.[1] ?? 0)
  return major >= 5 ? path : undefined
}
