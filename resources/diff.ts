// What changed between two versions of a spec, path by path, for the history view and audits. Pure.
export interface SpecChange {
  path: string
  op: 'added' | 'removed' | 'changed'
  before?: unknown
  after?: unknown
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Changes from `before` to `after`; objects are compared key by key, anything else as a whole value. */
export function diffSpecs(before: unknown, after: unknown, path = ''): SpecChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
    return keys.flatMap((k) => {
      const at = `${path}/${k}`
      if (!(k in before)) return [{ path: at, op: 'added' as const, after: after[k] }]
      if (!(k in after)) return [{ path: at, op: 'removed' as const, before: before[k] }]
      return diffSpecs(before[k], after[k], at)
    })
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return []
  return [{ path: path || '/', op: 'changed', before, after }]
}
