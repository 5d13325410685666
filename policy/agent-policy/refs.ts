// `$references` in policies: parsed once when a policy is compiled, resolved against a call's facts (its
// arguments, the authenticated customer, lookups and the tool's result). Pure.

export interface RefScope {
  args: Record<string, unknown>
  subject?: string
  result?: unknown
  lookups: Record<string, unknown>
}

/** A parsed reference: its root (`args`, `subject`, `result` or a lookup's name) and the path below it. */
export interface ParsedRef {
  text: string
  root: string
  path: Array<string | ParsedRef>
}

const ROOT = /^\$([A-Za-z_][A-Za-z0-9_]*)/

/** Parses `$root.a.b[$args.x].c`; throws on anything else (the schema's pattern already rejects most). */
export function parseRef(text: string): ParsedRef {
  const root = ROOT.exec(text)
  if (!root) throw new Error(`not a $reference: ${text}`)
  const path: ParsedRef['path'] = []
  let rest = text.slice(root[0].length)
  while (rest.length > 0) {
    const dot = /^\.([A-Za-z0-9_]+)/.exec(rest)
    if (dot) {
      path.push(dot[1]!)
      rest = rest.slice(dot[0].length)
      continue
    }
    const bracket = /^\[([^\]]+)\]/.exec(rest)
    if (!bracket) throw new Error(`cannot read ${text} at "${rest}"`)
    const inner = bracket[1]!
    path.push(inner.startsWith('$') ? parseRef(inner) : inner.replace(/^['"]|['"]$/g, ''))
    rest = rest.slice(bracket[0].length)
  }
  return { text, root: root[1]!, path }
}

export const isRef = (value: string): boolean => value.startsWith('$')

/** Every root a reference reads, its bracketed keys included. */
export function refRoots(ref: ParsedRef): string[] {
  return [ref.root, ...ref.path.flatMap((p) => (typeof p === 'string' ? [] : refRoots(p)))]
}

function rootValue(root: string, scope: RefScope): unknown {
  if (root === 'args') return scope.args
  if (root === 'subject') return scope.subject
  if (root === 'result') return scope.result
  return scope.lookups[root]
}

/** The value a reference points at, or undefined when any step is missing. */
export function resolveRef(ref: ParsedRef, scope: RefScope): unknown {
  let value = rootValue(ref.root, scope)
  for (const step of ref.path) {
    const key = typeof step === 'string' ? step : resolveRef(step, scope)
    if (value === null || typeof value !== 'object' || (typeof key !== 'string' && typeof key !== 'number')) return undefined
    value = (value as Record<string, unknown>)[String(key)]
  }
  return value
}

/** A `$reference` resolved, or the literal text itself. */
export function operand(text: string, parsed: Map<string, ParsedRef>, scope: RefScope): unknown {
  const ref = parsed.get(text)
  return ref ? resolveRef(ref, scope) : text
}

/** Fills `{$references}` in a summary template. */
export function fillTemplate(template: string, parsed: Map<string, ParsedRef>, scope: RefScope): string {
  return template.replace(/\{(\$[^}]+)\}/g, (_, text: string) => {
    const ref = parsed.get(text)
    const value = ref ? resolveRef(ref, scope) : undefined
    if (value === undefined) return '?'
    if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) return value.join(', ')
    return typeof value === 'string' ? value : JSON.stringify(value)
  })
}
