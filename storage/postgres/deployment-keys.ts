// Keys the deployment makes for itself on first use and shares across its processes through Postgres (the
// signing key of customer tokens). A key is created once; every process then reads the same one.
import { randomBytes } from 'node:crypto'
import type { Sql } from './client.ts'

export function createDeploymentKeys(sql: Sql) {
  return {
    async get(name: string): Promise<Buffer> {
      const [row] = await sql<{ key: Buffer }[]>`
        with i as (insert into deployment_keys (name, key) values (${name}, ${randomBytes(32)}) on conflict (name) do nothing returning key)
        select key from i union all select key from deployment_keys where name = ${name} limit 1`
      return row!.key
    },
  }
}
export type DeploymentKeys = ReturnType<typeof createDeploymentKeys>
