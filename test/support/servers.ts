// A Redis server and a Postgres cluster of a test's own, on loopback ports of their own, that the test stops,
// kills and restarts. Redis keeps nothing on disk, so a restart comes back empty, as after losing its data.
import type { Subprocess } from 'bun'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
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
  /** A crash: SIGKILL to the postmaster and its children at once, so nothing still in memory reaches disk. */
  kill(): Promise<void>
  destroy(): Promise<void>
}

const PG_BIN = (() => {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))
  return join('/usr/lib/postgresql', versions[0]!, 'bin')
})()

/**
 * A new cluster (initdb, trust auth) with a `test` database; runs as the `postgres` user when the test is root.
 * `settings`: server settings (`-c name=value`) on top of the defaults.
 */
export async function ownPostgres(settings: Record<string, string> = {}): Promise<OwnPostgres> {
  const port = freePort()
  const dir = mkdtempSync(join(tmpdir(), 'sb-pg-'))
  const asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : []
  const run = async (cmd: string[]) => {
    const p = Bun.spawn([...asPostgres, ...cmd], { stdout: 'ignore', stderr: 'pipe' })
    if ((await p.exited) !== 0) throw new Error(`${cmd[0]} failed: ${await new Response(p.stderr).text()}`)
  }
  if (asPostgres.length > 0) await Bun.spawn(['chown', 'postgres', dir]).exited
  await run([join(PG_BIN, 'initdb'), '-D', dir, '-A', 'trust', '-U', 'postgres'])
  const options = [`-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ')
  const pgCtl = (action: string) => run([join(PG_BIN, 'pg_ctl'), '-D', dir, '-w', '-m', 'fast', '-o', options, action])
  const pg = {
    url: `postgres://postgres@127.0.0.1:${port}/test`,
    start: () => pgCtl('start'),
    stop: () => pgCtl('stop'),
    async kill() {
      const postmaster = Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0])
      const pids = [postmaster, ...readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8').split(' ').filter(Boolean).map(Number)]
      for (const pid of pids) process.kill(pid, 'SIGKILL')
      await waitFor(async () => pids.every((pid) => !alive(pid)), 10_000, 'the killed postgres processes to exit')
      // A dead postmaster not yet reaped by init still answers kill(pid, 0), which the next start's lock-file check
      // takes for a running server: the lock files go with the processes.
      for (const lock of ['postmaster.pid', `.s.PGSQL.${port}.lock`]) rmSync(join(dir, lock), { force: true })
    },
    async destroy() {
      await pgCtl('stop').catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    },
  }
  await pg.start()
  await run([join(PG_BIN, 'createdb'), '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'test'])
  return pg
}

/** A zombie (exited, not yet reaped by its parent) counts as gone. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}
