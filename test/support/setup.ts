// Preloaded by bun test: the suite needs the real Redis and Postgres; say so once, clearly, if either is down.
import { RedisClient } from 'bun'
import postgres from 'postgres'

process.env.REDIS_URL ??= 'redis://127.0.0.1:6379'
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test'
process.env.LOG_LEVEL ??= 'error'

async function check(): Promise<string[]> {
  const problems: string[] = []
  const redis = new RedisClient(process.env.REDIS_URL)
  await redis.send('PING', []).catch((e: Error) => problems.push(`Redis at REDIS_URL=${process.env.REDIS_URL}: ${e.message}`))
  redis.close()
  const sql = postgres(process.env.DATABASE_URL!, { max: 1, connect_timeout: 3, onnotice: () => {} })
  await sql`select 1`.catch((e: Error) => problems.push(`Postgres at DATABASE_URL=${process.env.DATABASE_URL}: ${e.message}`))
  await sql.end()
  return problems
}

const problems = await check()
if (problems.length > 0) {
  console.error(`The test suite needs real Redis and Postgres:\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
