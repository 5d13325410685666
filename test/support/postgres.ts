// A fresh, migrated Postgres schema per test file, dropped afterwards.
import { createSql, migrate, type Sql } from '../../storage/index.ts'

export interface TestDatabase {
  sql: Sql
  url: string
  schema: string
  drop(): Promise<void>
}

/** A new migrated schema named `<schemaPrefix>_<random>` (benchmarks use it too, with their own prefix). */
export async function createTestDatabase(options: { url?: string; schemaPrefix?: string } = {}): Promise<TestDatabase> {
  const url = options.url ?? process.env.DATABASE_URL!
  const schema = `${options.schemaPrefix ?? 't'}_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`
  const sql = createSql({ url, schema, maxConnections: 10 })
  await migrate(sql, schema)
  return {
    sql,
    url,
    schema,
    async drop() {
      await sql.unsafe(`drop schema if exists "${schema}" cascade`)
      await sql.end()
    },
  }
}
