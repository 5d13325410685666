// A ClickHouse server of a test's own (Debian's clickhouse-server, 18.16) on loopback ports of its own, in a
// temporary directory, that the test kills and restarts. Absent binary: `available` is false and the tests skip.
import type { Subprocess } from 'bun'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { accepts, freePort } from './servers.ts'
import { waitFor } from './wait.ts'

const BINARY = '/usr/sbin/clickhouse-server'
export const clickHouseAvailable = existsSync(BINARY)

export interface OwnClickHouse {
  url: string
  start(): Promise<void>
  kill(): Promise<void>
  destroy(): Promise<void>
  /** Runs a query over HTTP and returns the body (TSV). */
  query(sql: string): Promise<string>
}

export function ownClickHouse(): OwnClickHouse {
  const http = freePort()
  const tcp = freePort()
  const dir = mkdtempSync(join(tmpdir(), 'sb-ch-'))
  writeFileSync(join(dir, 'config.xml'), `<yandex>
  <logger><level>warning</level><console>1</console></logger>
  <http_port>${http}</http_port><tcp_port>${tcp}</tcp_port><listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path><tmp_path>${dir}/tmp/</tmp_path><mark_cache_size>5368709120</mark_cache_size>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <profiles><default></default></profiles><quotas><default></default></quotas>
</yandex>`)
  let proc: Subprocess | undefined
  const url = `http://127.0.0.1:${http}`
  const ch: OwnClickHouse = {
    url,
    async start() {
      proc = Bun.spawn([BINARY, `--config-file=${join(dir, 'config.xml')}`], { stdout: 'ignore', stderr: 'ignore' })
      await waitFor(() => accepts(http), 20_000, `clickhouse-server on ${http}`)
      await waitFor(async () => (await fetch(`${url}/ping`).catch(() => undefined))?.ok, 20_000, 'clickhouse ping')
    },
    async kill() {
      proc?.kill('SIGKILL')
      await proc?.exited
    },
    async destroy() {
      await ch.kill()
      rmSync(dir, { recursive: true, force: true })
    },
    async query(sql: string) {
      const res = await fetch(url, { method: 'POST', body: sql })
      const body = await res.text()
      if (!res.ok) throw new Error(`clickhouse: ${body}`)
      return body.trim()
    },
  }
  return ch
}
