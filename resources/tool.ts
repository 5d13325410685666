// The Tool resource: an HTTP endpoint of the tenant's offered to its agents as a tool, with the JSON Schema
// of its arguments, whether it reads or writes, and a credential from a secret. Pure.
import { Type, type Static } from '@sinclair/typebox'
import { closed, HeaderAuth, HttpUrl, Tenant, ToolType } from './fields.ts'

/** A JSON Schema object (`type: object`, `properties`, `required`): what the model is shown and calls are checked against. */
export const JsonSchemaObject = Type.Record(Type.String(), Type.Unknown(), { description: 'a JSON Schema with type: object' })

export const HttpToolSpec = Type.Object({
  tenant: Tenant,
  description: Type.String({ minLength: 1, maxLength: 2000 }),
  /** READ never changes anything; WRITE runs exactly once per call and is subject to the agent's policy. */
  type: ToolType,
  parameters: JsonSchemaObject,
  http: Type.Object({
    url: HttpUrl,
    /** @defaultValue 'POST' */
    method: Type.Union(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => Type.Literal(m)), { default: 'POST' }),
    /** Fixed, non-secret headers. */
    headers: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' }), Type.String({ maxLength: 1000 }))),
    auth: Type.Optional(HeaderAuth),
    /** @defaultValue 10000 */
    timeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
    /** Extra attempts after a 5xx, a 429 or a network error. @defaultValue 2 */
    retries: Type.Integer({ minimum: 0, maximum: 5, default: 2 }),
  }, closed),
}, closed)
export type HttpToolSpec = Static<typeof HttpToolSpec>

/** The parameters must describe an object of arguments, as every vendor's function calling requires. */
export function toolProblems(spec: HttpToolSpec): string[] {
  const p = spec.parameters
  const problems: string[] = []
  if (p.type !== 'object') problems.push('/spec/parameters/type: must be "object"')
  if (p.properties !== undefined && (typeof p.properties !== 'object' || p.properties === null || Array.isArray(p.properties))) {
    problems.push('/spec/parameters/properties: must be an object of JSON Schemas')
  }
  const props = (p.properties ?? {}) as Record<string, unknown>
  if (p.required !== undefined) {
    if (!Array.isArray(p.required)) problems.push('/spec/parameters/required: must be a list of property names')
    else for (const r of p.required) if (typeof r !== 'string' || !(r in props)) problems.push(`/spec/parameters/required: "${String(r)}" is not a property`)
  }
  return problems
}
