// Storage contracts and their Postgres / Redis / S3 implementations. The only importer of postgres.js.
export { createSql, type Sql, type PostgresOptions } from './postgres/client.ts'
export { migrate, isMigrated, listMigrations } from './postgres/migrate.ts'
