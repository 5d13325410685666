// Kubernetes CustomResourceDefinitions built from the TypeBox schemas that validate our YAML policy files,
// so a CRD in k8s/crds/ cannot drift from the code (test/k8s/crds.test.ts compares them). Pure; no I/O.
import { Type, type TSchema } from '@sinclair/typebox'

/** `group/version` of every Switchboard resource. */
export const SWITCHBOARD_API_VERSION = 'switchboard.dev/v1alpha1'

/** The envelope a policy file and its custom resource share, so one document can be read or `kubectl apply`-ed. */
export const resourceSchema = <K extends string, S extends TSchema>(kind: K, spec: S) => Type.Object({
  apiVersion: Type.Literal(SWITCHBOARD_API_VERSION),
  kind: Type.Literal(kind),
  metadata: Type.Object({ name: Type.String({ minLength: 1 }) }),
  spec,
})

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/**
 * Rewrites TypeBox's JSON Schema into a Kubernetes structural schema: records become `additionalProperties`,
 * unions of literals become `enum`, exclusive bounds take the OpenAPI v3.0 boolean form, and
 * `additionalProperties: false` is dropped (the API server prunes unknown fields; the file loader rejects them).
 */
export function toStructuralSchema(schema: unknown): Json {
  if (Array.isArray(schema)) return schema.map(toStructuralSchema)
  if (typeof schema !== 'object' || schema === null) return schema as Json
  const s = schema as Record<string, unknown>
  if (isFreeForm(s)) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }
  // Any JSON value (TypeBox's Unknown): a structural schema needs a type on every node, or this marker.
  if (isAnyValue(s)) return { 'x-kubernetes-preserve-unknown-fields': true, ...(typeof s.description === 'string' ? { description: s.description } : {}) }
  const literals = Array.isArray(s.anyOf) ? s.anyOf.map((b) => (b as { const?: unknown }).const) : []
  if (literals.length > 0 && literals.every((c) => typeof c === 'string')) {
    const kept = Object.fromEntries(Object.entries(s).filter(([k]) => k === 'default' || k === 'description')) as Record<string, Json>
    return { type: 'string', enum: literals as string[], ...kept }
  }
  const out: Record<string, Json> = {}
  for (const [key, value] of Object.entries(s)) {
    if (key === 'additionalProperties' && value === false) continue
    // The API server fills a default before it validates, but offline validators (and `kubectl apply
    // --dry-run=client`) do not: a field with a default is not required of the document.
    if (key === 'required' && Array.isArray(value)) {
      const required = value.filter((k) => (s.properties as Record<string, { default?: unknown }> | undefined)?.[k]?.default === undefined)
      if (required.length > 0) out.required = required
      continue
    }
    // OpenAPI v3.0 (what CRDs speak) spells an exclusive bound as a boolean beside `minimum`.
    if (key === 'exclusiveMinimum' && typeof value === 'number') Object.assign(out, { minimum: value, exclusiveMinimum: true })
    else if (key === 'patternProperties') out.additionalProperties = toStructuralSchema(Object.values(value as object)[0])
    else if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, toStructuralSchema(v)]))
    else if (key === 'default' || key === 'enum' || key === 'const') out[key] = value as Json
    else out[key] = toStructuralSchema(value)
  }
  return out
}

const SHAPES = ['type', 'anyOf', 'allOf', 'oneOf', 'properties', 'items', 'enum', 'const', '$ref', 'not']
const isAnyValue = (s: Record<string, unknown>) => !SHAPES.some((k) => k in s)

/** A record of anything (a JSON Schema the user writes, say): Kubernetes keeps it as given. */
function isFreeForm(s: Record<string, unknown>): boolean {
  const values = s.patternProperties ? Object.values(s.patternProperties as object) : []
  return s.type === 'object' && values.length === 1 && Object.keys(values[0] as object).length === 0
}

/** One namespaced custom resource kind whose `spec` is a TypeBox schema. */
export interface CrdOptions {
  /** `group/version`, as in the documents' `apiVersion` (e.g. `switchboard.dev/v1alpha1`). */
  apiVersion: string
  kind: string
  plural: string
  shortNames: string[]
  /** `kubectl get` columns: name and `.spec` field (the status columns every kind shares follow them). */
  columns: Array<{ name: string; type: 'string' | 'integer'; field: string }>
  spec: unknown
}

/**
 * What the controller writes back: whether the spec was accepted (and why not), the version the store holds,
 * and the generation it looked at. The same for every kind.
 */
export const RESOURCE_STATUS_SCHEMA: Json = {
  type: 'object',
  properties: {
    observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
    /** The version in force in Switchboard's store (for file-read kinds, `spec.version`). */
    appliedVersion: { type: 'integer', minimum: 0 },
    tenant: { type: 'string' },
    conditions: {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
      items: {
        type: 'object',
        required: ['type', 'status', 'reason', 'message', 'lastTransitionTime'],
        properties: {
          type: { type: 'string', minLength: 1 },
          status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
          reason: { type: 'string', minLength: 1 },
          message: { type: 'string' },
          observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
          lastTransitionTime: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
}

const STATUS_COLUMNS: Json[] = [
  { name: 'Accepted', type: 'string', jsonPath: '.status.conditions[?(@.type=="Accepted")].status' },
  { name: 'Applied', type: 'integer', jsonPath: '.status.appliedVersion', description: 'version in force in the store' },
  { name: 'Reason', type: 'string', jsonPath: '.status.conditions[?(@.type=="Accepted")].reason', priority: 1 },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
]

/** The CRD object, ready to serialise as YAML. */
export function customResourceDefinition(o: CrdOptions): Json {
  const [group, version] = o.apiVersion.split('/') as [string, string]
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${o.plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: o.plural, singular: o.kind.toLowerCase(), kind: o.kind, shortNames: o.shortNames },
      versions: [{
        name: version,
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [...o.columns.map((c) => ({ name: c.name, type: c.type, jsonPath: `.spec.${c.field}` })), ...STATUS_COLUMNS],
        schema: {
          openAPIV3Schema: {
            type: 'object', required: ['spec'], properties: { spec: toStructuralSchema(o.spec), status: RESOURCE_STATUS_SCHEMA },
          },
        },
      }],
    },
  }
}
