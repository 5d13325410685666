// A Redis server and a Postgres cluster of a test's own, on loopback ports of their own, that the test stops,
// kills and restarts. Redis keeps nothing on disk, so a restart comes back empty, as after losing its data.
import type { Subprocess } from 'bun'
import { mkdtempSync, rmSync } from 'node:fs'
import { readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitFor } from './wait.ts'

/** A free loopback port (the OS picks it, then it is let go). */
export function freePort(): number {
  const server = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const { port } = server
  server.stop(true)
  return port
}

export async function accepts(port: number): Promise<boolean> {
  try {
    const socket = await Bun.connect({ hostname: '127.0.0.1', port, socket: { data() {} } })
    socket.end()
    return true
  } catch {
    return false
  }
}

export interface OwnRedis {
  url: string
  /** Starts (again) on the same port, empty. */
  start(): Promise<void>
  kill(): Promise<void>
}

export function ownRedis(): OwnRedis {
  const port = freePort()
  let proc: Subprocess | undefined
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      proc = Bun.spawn(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdout: 'ignore', stderr: 'ignore' })
      await waitFor(() => accepts(port), 10_000, `redis-server on ${port}`)
    },
    async kill() {
      proc?.kill('SIGKILL')
      await proc?.exited
    },
  }
}

export interface OwnPostgres {
  url: string
  start(): Promise<void>
  stop(): Promise<void>
  destroy(): Promise<void>
}

const PG_BIN = (() => {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))
  return join('/usr/lib/postgresql', versions[0]!, 'bin')
})()

/** A new cluster (initdb, trust auth) with a `test` database; runs as the `postgres` user when the test is root. */
export async function ownPostgres(): Promise<OwnPostgres> {
  const port = freePort()
  const dir = mkdtempSync(join(tmpdir(), 'sb-pg-'))
  const asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : []
  const run = async (cmd: string[]) => {
    const p = Bun.spawn([...asPostgres, ...cmd], { stdout: 'ignore', stderr: 'pipe' })
    if ((await p.exited) !== 0) throw new Error(`${cmd[0]} failed: ${await new Response(p.stderr).text()}`)
  }
  if (asPostgres.length > 0) await Bun.spawn(['chown', 'postgres', dir]).exited
  await run([join(PG_BIN, 'initdb'), '-D', dir, '-A', 'trust', '-U', 'postgres'])
  const pgCtl = (action: string) => run([join(PG_BIN, 'pg_ctl'), '-D', dir, '-w', '-m', 'fast', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, action])
  const pg = {
    url: `postgres://postgres@127.0.0.1:${port}/test`,
    start: () => pgCtl('start'),
    stop: () => pgCtl('stop'),
    async destroy() {
      await pgCtl('stop').catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    },
  }
  await pg.start()
  await run([join(PG_BIN, 'createdb'), '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'test'])
  return pg
}
