// Resource documents as files and custom resources carry them: `apiVersion`, `kind`, `metadata.name`, `spec`.
// Parses `---`-separated YAML and validates each document, naming the document and the path of each problem.
import { parseAllDocuments } from 'yaml'
import { SWITCHBOARD_API_VERSION } from '../lib/crd.ts'
import { RESOURCE_NAME_PATTERN } from './fields.ts'
import { isResourceKind, RESOURCE_KINDS, type ResourceKind, type SpecOf } from './kinds.ts'
import { InvalidResourceError, validateSpec, type Problem } from './validate.ts'

export interface ResourceDocument<K extends ResourceKind = ResourceKind> {
  apiVersion: typeof SWITCHBOARD_API_VERSION
  kind: K
  metadata: { name: string }
  spec: SpecOf[K]
}

const NAME = new RegExp(RESOURCE_NAME_PATTERN)

/** One document (a parsed object) validated; `where` names it in errors. */
export function validateDocument(value: unknown, where: string): ResourceDocument {
  const doc = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
  const problems: Problem[] = []
  if (doc.apiVersion !== SWITCHBOARD_API_VERSION) problems.push({ path: '/apiVersion', message: `must be ${SWITCHBOARD_API_VERSION}` })
  if (!isResourceKind(doc.kind)) problems.push({ path: '/kind', message: `must be one of ${RESOURCE_KINDS.join(', ')}` })
  const name = (doc.metadata as { name?: unknown } | undefined)?.name
  if (typeof name !== 'string' || !NAME.test(name)) problems.push({ path: '/metadata/name', message: `must match ${RESOURCE_NAME_PATTERN}` })
  if (problems.length > 0) throw new InvalidResourceError(problems, where)
  const kind = doc.kind as ResourceKind
  const label = `${where} (${kind} ${name as string})`
  return { apiVersion: SWITCHBOARD_API_VERSION, kind, metadata: { name: name as string }, spec: validateSpec(kind, doc.spec, label) }
}

/** Every document of a YAML text, validated; throws on the first invalid one. Empty documents are skipped. */
export function parseResourceDocuments(text: string, source = 'resources'): ResourceDocument[] {
  const docs = parseAllDocuments(text)
  const list = Array.isArray(docs) ? docs : [docs]
  return list.flatMap((doc, i) => {
    const where = `${source} #${i + 1}`
    if (doc.errors.length > 0) throw new InvalidResourceError([{ path: '/', message: doc.errors[0]!.message.split('\n')[0]! }], where)
    const value: unknown = doc.toJS()
    return value === null || value === undefined ? [] : [validateDocument(value, where)]
  })
}
