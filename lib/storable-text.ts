// What text Postgres can store: text and jsonb refuse U+0000, and jsonb refuses the escape of a lone UTF-16
// surrogate. Pure, so every way in (the API's front door, the ticket producer) refuses the same input, by field.

/** Where in the input a value cannot be stored, as a JSON pointer, and why. */
export interface UnstorableInput {
  path: string
  message: string
}

/** Deeper input is refused outright: walking and storing it would recurse without bound. */
export const MAX_INPUT_DEPTH = 32

const pointer = (path: string, key: string | number) => `${path}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`

// A high surrogate not followed by a low one, or a low one not preceded by a high one (String#isWellFormed is ES2024).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL (U+0000)'
  if (LONE_SURROGATE.test(text)) return 'must be well-formed Unicode (it holds a lone surrogate)'
  return undefined
}

/** The first string (value or key) in `value` that cannot be stored; undefined when all can. */
export function findUnstorableInput(value: unknown, root = ''): UnstorableInput | undefined {
  // Iterative, so hostile nesting cannot exhaust the stack before the depth check refuses it.
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 0 }]
  while (stack.length > 0) {
    const item = stack.pop()!
    if (typeof item.value === 'string') {
      const message = textProblem(item.value)
      if (message) return { path: item.path || '/', message }
      continue
    }
    if (item.value === null || typeof item.value !== 'object') continue
    if (item.depth >= MAX_INPUT_DEPTH) return { path: item.path || '/', message: `must not nest deeper than ${MAX_INPUT_DEPTH} levels` }
    const children = Object.entries(item.value).map(([key, child]) => ({ key, value: child, path: pointer(item.path, key), depth: item.depth + 1 }))
    const badKey = children.find((c) => textProblem(c.key))
    if (badKey) return { path: badKey.path, message: `key ${textProblem(badKey.key)}` }
    // Reversed onto the stack, so the first problem reported is the first in document order.
    for (const child of children.reverse()) stack.push(child)
  }
  return undefined
}
