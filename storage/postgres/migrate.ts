// Versioned migrations: numbered SQL files applied in order, each once, under an advisory lock
// so that several processes booting together migrate exactly once.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Sql } from './client.ts'

const MIGRATIONS_DIR = join(import.meta.dir, 'migrations')
const LOCK_ID = 0x5b0a2d

export interface Migration {
  version: number
  name: string
  sql: string
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_[\w-]+\.sql$/.test(f))
    .map((f) => ({ version: Number(f.split('_')[0]), name: f, sql: readFileSync(join(dir, f), 'utf8') }))
    .sort((a, b) => a.version - b.version)
}

/** Creates the schema if needed and applies pending migrations; returns the names applied. */
export async function migrate(sql: Sql, schema: string): Promise<string[]> {
  const applied: string[] = []
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK_ID})`
    await tx.unsafe(`create schema if not exists "${schema}"`)
    await tx.unsafe(`set local search_path to "${schema}"`)
    await tx`create table if not exists schema_migrations (
      version int primary key, name text not null, applied_at timestamptz not null default now())`
    const done = new Set((await tx<{ version: number }[]>`select version from schema_migrations`).map((r) => r.version))
    for (const m of listMigrations()) {
      if (done.has(m.version)) continue
      await tx.unsafe(m.sql)
      await tx`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`
      applied.push(m.name)
    }
  })
  return applied
}

/** True when every migration shipped with this build is applied (readiness). */
export async function isMigrated(sql: Sql): Promise<boolean> {
  const rows = await sql<{ version: number }[]>`select version from schema_migrations`.catch(() => [])
  const done = new Set(rows.map((r) => r.version))
  return listMigrations().every((m) => done.has(m.version))
}
