// The Postgres connection pool (postgres.js). Every query runs with search_path set to our schema.
import postgres from 'postgres'

export type Sql = postgres.Sql

export interface PostgresOptions {
  url: string
  /** @defaultValue 'public' */
  schema: string
  /** DATABASE_POOL_MAX. @defaultValue 5 */
  maxConnections?: number
}

export function createSql(options: PostgresOptions): Sql {
  return postgres(options.url, {
    max: options.maxConnections ?? 5,
    // A database that does not accept a connection within seconds is down: queries fail (503) instead of waiting 30 s.
    connect_timeout: 3,
    onnotice: () => {},
    connection: { search_path: options.schema, application_name: 'switchboard' },
    // Number columns (bigint, numeric) come back as JS numbers: counts and costs stay far below 2^53.
    types: { bigint: { to: 20, from: [20], serialize: String, parse: Number }, numeric: { to: 1700, from: [1700], serialize: String, parse: Number } },
    transform: { undefined: null },
  })
}
