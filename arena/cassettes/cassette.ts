// A cassette: provider responses recorded once, by slot (configuration, scenario, trial, call number), with a
// digest of the request that produced each. Replay serves the slot's recording and warns when the request
// no longer matches it (a prompt that changed since the recording).
import { createHash } from 'node:crypto'

export interface CassetteEntry {
  /** Which provider route and path answered: `openai/chat/completions`. */
  route: string
  requestDigest: string
  status: number
  contentType: string
  body: string
}

export interface CassetteFile {
  version: 1
  entries: Record<string, CassetteEntry>
}

export interface Cassette {
  readonly path: string
  get(slot: string): CassetteEntry | undefined
  put(slot: string, entry: CassetteEntry): void
  save(): Promise<void>
  readonly size: number
}

export async function openCassette(path: string): Promise<Cassette> {
  const file = Bun.file(path)
  const data: CassetteFile = (await file.exists()) ? await file.json() : { version: 1, entries: {} }
  let dirty = false
  return {
    path,
    get: (slot) => data.entries[slot],
    put(slot, entry) {
      data.entries[slot] = entry
      dirty = true
    },
    async save() {
      if (!dirty) return
      dirty = false
      await Bun.write(path, `${JSON.stringify(data, null, 1)}\n`)
    },
    get size() {
      return Object.keys(data.entries).length
    },
  }
}

/** A digest of what the model was asked: the route and the request body with keys in a fixed order. */
export function requestDigest(route: string, body: string): string {
  let canonical = body
  try {
    canonical = JSON.stringify(sortKeys(JSON.parse(body)))
  } catch {}
  return createHash('sha256').update(route).update('\n').update(canonical).digest('hex').slice(0, 32)
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]))
  }
  return value
}
