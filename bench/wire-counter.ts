// A loopback TCP proxy that counts what one client process asks of Redis or Postgres: round trips (Postgres Sync
// and simple-query messages; Redis socket writes, so a pipeline or a MULTI block counts once) and commands by name.
// Machine load does not change these counts, so they compare code where timings drown in a shared machine's noise.
import * as bullScripts from 'bullmq/dist/esm/scripts/index.js'
import { createHash } from 'node:crypto'
import { connect, createServer, type AddressInfo, type Socket } from 'node:net'

export interface WireCounts {
  /** Round trips: Postgres Sync/Query messages; Redis writes of one or more commands. */
  roundTrips: number
  /** Redis commands by name (EVALSHA by the keys' shape), Postgres statements (Execute/Query) by their first words. */
  commands: Map<string, number>
}

export interface WireCounter {
  url: string
  /** Counts since the last `take` (or the start), reset. */
  take(): WireCounts
  close(): void
}

type Parser = (chunk: Buffer, counts: WireCounts) => void

/** `protocol` picks the parser; `target` is the real server's url (its host and port are used). */
export async function countingProxy(protocol: 'redis' | 'postgres', target: string): Promise<WireCounter> {
  const upstream = new URL(target)
  let counts: WireCounts = { roundTrips: 0, commands: new Map() }
  const sockets = new Set<Socket>()
  // node:net's pipe buffers what a socket cannot take at once, so nothing is lost under backpressure.
  const server = createServer((client) => {
    const parse = protocol === 'redis' ? redisParser() : postgresParser()
    const server = connect(Number(upstream.port), upstream.hostname)
    for (const s of [client, server]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => (client.destroy(), server.destroy()))
    }
    client.on('data', (chunk: Buffer) => parse(chunk, counts))
    client.pipe(server)
    server.pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = new URL(target)
  url.hostname = '127.0.0.1'
  url.port = String((server.address() as AddressInfo).port)
  return {
    url: url.toString(),
    take() {
      const taken = counts
      counts = { roundTrips: 0, commands: new Map() }
      return taken
    },
    close() {
      for (const s of sockets) s.destroy()
      server.close()
    },
  }
}

// BullMQ's scripts are known by their SHA-1 (what EVALSHA names), so the counts say `moveToActive`, not a hash.
const bullScriptNames = new Map(Object.values(bullScripts as Record<string, { name?: string; content?: string }>)
  .filter((s) => s.name && s.content).map((s) => [createHash('sha1').update(s.content!).digest('hex'), s.name!]))

const bump = (counts: WireCounts, name: string) => counts.commands.set(name, (counts.commands.get(name) ?? 0) + 1)
/** Ids and numbers become `#`, so one script's calls on different conversations count as one kind. */
const shape = (text: string) => text.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '#').replace(/\d+/g, '#')

/** RESP arrays of bulk strings, as clients send them; a chunk may end mid-command. */
function redisParser(): Parser {
  let buffer = Buffer.alloc(0)
  return (chunk, counts) => {
    counts.roundTrips++
    buffer = buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([buffer, chunk])
    for (;;) {
      const parsed = parseCommand(buffer)
      if (!parsed) return
      buffer = buffer.subarray(parsed.used)
      const [name = '', ...args] = parsed.args
      const upper = name.toUpperCase()
      // A script is known by its BullMQ name, else by the shape of its first key (`prefix:lease:#`).
      const script = upper === 'EVALSHA' ? bullScriptNames.get(args[0] ?? '') : undefined
      bump(counts, upper === 'EVALSHA' || upper === 'EVAL' ? `${upper} ${script ?? ''} ${shape(args[2] ?? '')}` : upper)
    }
  }
}

function parseCommand(buffer: Buffer): { args: string[]; used: number } | undefined {
  let at = 0
  const line = (): string | undefined => {
    const end = buffer.indexOf('\r\n', at)
    if (end < 0) return undefined
    const text = buffer.toString('latin1', at, end)
    at = end + 2
    return text
  }
  const head = line()
  if (head === undefined || head[0] !== '*') return undefined
  const args: string[] = []
  for (let n = Number(head.slice(1)); n > 0; n--) {
    const len = line()
    if (len === undefined) return undefined
    const size = Number(len.slice(1))
    if (buffer.length < at + size + 2) return undefined
    // Only the first few arguments are read: names and keys, never the payloads.
    args.push(args.length < 4 ? buffer.toString('latin1', at, Math.min(at + size, at + 200)) : '')
    at += size + 2
  }
  return { args, used: at }
}

/** The frontend protocol: a startup packet (no type byte, maybe after an SSL request), then typed messages. */
function postgresParser(): Parser {
  let buffer = Buffer.alloc(0)
  let started = false
  // postgres.js prepares named statements once per connection: Bind names the statement its Execute runs.
  const prepared = new Map<string, string>()
  let statement = ''
  return (chunk, counts) => {
    buffer = buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([buffer, chunk])
    for (;;) {
      if (!started) {
        if (buffer.length < 8) return
        const len = buffer.readInt32BE(0)
        if (buffer.length < len) return
        const code = buffer.readInt32BE(4)
        started = code !== 80877103 // an SSL request is followed by the real startup packet
        buffer = buffer.subarray(len)
        continue
      }
      if (buffer.length < 5) return
      const type = String.fromCharCode(buffer[0]!)
      const len = buffer.readInt32BE(1)
      if (buffer.length < len + 1) return
      const body = buffer.subarray(5, len + 1)
      if (type === 'P') {
        // Parse: statement name (NUL-terminated), then the query text.
        const nameEnd = body.indexOf(0)
        statement = words(body.toString('utf8', nameEnd + 1, body.indexOf(0, nameEnd + 1)))
        prepared.set(body.toString('utf8', 0, nameEnd), statement)
      } else if (type === 'B') {
        // Bind: portal name, then statement name.
        const portalEnd = body.indexOf(0)
        statement = prepared.get(body.toString('utf8', portalEnd + 1, body.indexOf(0, portalEnd + 1))) ?? statement
      } else if (type === 'E') bump(counts, statement || '(prepared)')
      else if (type === 'Q') {
        counts.roundTrips++
        bump(counts, words(body.toString('utf8', 0, body.length - 1)))
      } else if (type === 'S') counts.roundTrips++
      buffer = buffer.subarray(len + 1)
    }
  }
}

/** A statement's kind and first table: enough to tell the turn's queries apart. */
function words(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().slice(0, 70)
}
