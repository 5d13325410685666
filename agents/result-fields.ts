// Tool outputs as the policy reads them (JSON text parsed), and with the fields the model may not see removed.

/** Tools return objects, JSON text or bare strings: conditions and lookups read the parsed value. */
export function parsedOutput(output: unknown): unknown {
  if (typeof output !== 'string') return output
  try {
    return JSON.parse(output)
  } catch {
    return output
  }
}

function remove(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return value
  const [head, ...rest] = path as [string, ...string[]]
  if (Array.isArray(value)) return head === '*' ? value.map((v) => remove(v, rest)) : value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    if (head !== '*' && k !== head) out[k] = v
    else if (rest.length > 0) out[k] = remove(v, rest)
  }
  return out
}

/** The output without the hidden fields (dotted paths, `*` for any key or element). */
export function hideFields(output: unknown, paths: readonly string[]): unknown {
  if (paths.length === 0) return output
  const parsed = parsedOutput(output)
  const hidden = paths.reduce((v, p) => remove(v, p.split('.')), parsed)
  return typeof output === 'string' && parsed !== output ? JSON.stringify(hidden) : hidden
}
