// The RoutingPolicy CustomResourceDefinition, derived from the same TypeBox schema that validates files,
// so the CRD in k8s/crds/ cannot drift from the code (a test compares them).
import { RoutingPolicySpec, ROUTING_API_VERSION } from './routing-policy.ts'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/**
 * Rewrites TypeBox's JSON Schema into a Kubernetes structural schema: records become `additionalProperties`,
 * unions of literals become `enum`, exclusive bounds take the OpenAPI v3.0 boolean form, and
 * `additionalProperties: false` is dropped (the API server prunes unknown fields; the file loader rejects them).
 */
export function toStructuralSchema(schema: unknown): Json {
  if (Array.isArray(schema)) return schema.map(toStructuralSchema)
  if (typeof schema !== 'object' || schema === null) return schema as Json
  const s = schema as Record<string, unknown>
  const literals = Array.isArray(s.anyOf) ? s.anyOf.map((b) => (b as { const?: unknown }).const) : []
  if (literals.length > 0 && literals.every((c) => typeof c === 'string')) return { type: 'string', enum: literals as string[] }
  const out: Record<string, Json> = {}
  for (const [key, value] of Object.entries(s)) {
    if (key === 'additionalProperties' && value === false) continue
    // OpenAPI v3.0 (what CRDs speak) spells an exclusive bound as a boolean beside `minimum`.
    if (key === 'exclusiveMinimum' && typeof value === 'number') Object.assign(out, { minimum: value, exclusiveMinimum: true })
    else if (key === 'patternProperties') out.additionalProperties = toStructuralSchema(Object.values(value as object)[0])
    else out[key] = toStructuralSchema(value)
  }
  return out
}

/** The CRD object, ready to serialise as YAML. */
export function routingPolicyCrd(): Json {
  const [group, version] = ROUTING_API_VERSION.split('/') as [string, string]
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `routingpolicies.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'routingpolicies', singular: 'routingpolicy', kind: 'RoutingPolicy', shortNames: ['rtp'] },
      versions: [{
        name: version,
        served: true,
        storage: true,
        additionalPrinterColumns: [{ name: 'Version', type: 'string', jsonPath: '.spec.version' }],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            required: ['spec'],
            properties: { spec: toStructuralSchema(RoutingPolicySpec) },
          },
        },
      }],
    },
  }
}
