// Validation of one resource: schema (with defaults), then the kind's own checks, every problem naming its
// path. Also what a tenant may not put in a document it writes through the API. Pure.
import { Value } from '@sinclair/typebox/value'
import { TerminalError } from '../lib/errors.ts'
import { PLATFORM_TENANT } from './fields.ts'
import { KINDS, type ResourceKind, type SpecOf } from './kinds.ts'

export interface Problem {
  path: string
  message: string
}

/** A document that is not a valid resource; `details` lists each problem by path. */
export class InvalidResourceError extends TerminalError {
  constructor(readonly details: Problem[], where: string) {
    super('resource.invalid', `${where}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`)
  }
}

// One mistake often trips several union branches; a dozen lines is what a person can act on.
const MAX_PROBLEMS = 12

const toProblem = (line: string): Problem => {
  const at = line.indexOf(': ')
  return at < 0 ? { path: '/spec', message: line } : { path: line.slice(0, at), message: line.slice(at + 2) }
}

/** The spec with its defaults filled in; throws `InvalidResourceError` listing every problem. */
export function validateSpec<K extends ResourceKind>(kind: K, spec: unknown, where: string = kind): SpecOf[K] {
  const schema = KINDS[kind].spec
  const value = Value.Default(schema, Value.Clone(spec ?? {}))
  const schemaProblems = [...Value.Errors(schema, value)].map((e) => ({ path: `/spec${e.path}`, message: e.message }))
  const problems = schemaProblems.length > 0 ? schemaProblems : KINDS[kind].problems(value as never).map(toProblem)
  if (problems.length > 0) {
    const unique = problems.filter((p, i) => problems.findIndex((q) => q.path === p.path && q.message === p.message) === i)
    throw new InvalidResourceError(unique.slice(0, MAX_PROBLEMS), where)
  }
  return value as SpecOf[K]
}

/**
 * What a tenant's API key may not declare: platform-wide documents, environment secrets and stdio commands
 * (they would read the worker's environment or run programs on it). Operators apply those as files.
 */
export function tenantWriteProblems(kind: ResourceKind, spec: Record<string, unknown>, tenantId: string): Problem[] {
  const problems: Problem[] = []
  if (spec.tenant !== undefined && spec.tenant !== tenantId) {
    problems.push({ path: '/spec/tenant', message: `must be absent or "${tenantId}" (the caller's tenant)` })
  }
  for (const path of envSecretPaths(spec, '/spec')) {
    problems.push({ path, message: 'environment secrets are for operator-applied documents; store a tenant secret (PUT /v1/secrets/:name)' })
  }
  if (kind === 'McpServer' && (spec.transport as { stdio?: unknown } | undefined)?.stdio) {
    problems.push({ path: '/spec/transport/stdio', message: 'stdio servers run a command on the workers: operator-applied documents only' })
  }
  return problems
}

function envSecretPaths(value: unknown, path: string): string[] {
  if (typeof value !== 'object' || value === null) return []
  if (!Array.isArray(value) && 'env' in value && typeof (value as { env: unknown }).env === 'string' && path.endsWith('secretRef')) return [`${path}/env`]
  return Object.entries(value).flatMap(([k, v]) => envSecretPaths(v, `${path}/${k}`))
}

/** Whether a stored document belongs to the platform scope. */
export const isPlatformScope = (tenant: string): boolean => tenant === PLATFORM_TENANT
