// Composition root: config → storage, queues, providers, actors → the `api`, `worker` or `all` role.
// The only module that imports every layer. `bun main.ts [--role api|worker|all]`.
import { createConversationFactory, createPoolHandlers, type ToolExecutor } from './actors/index.ts'
import { createApp } from './api/index.ts'
import { systemClock } from './lib/clock.ts'
import { loadConfig, type Config } from './lib/config.ts'
import { AppError } from './lib/errors.ts'
import { createLogger, setLogLevel } from './lib/log.ts'
import { createEchoProvider } from './providers/echo.ts'
import {
  createActorHost, createDeadLetter, createLeases, createMailbox, createPoolClient, createRedis, startPoolWorkers,
} from './queues/index.ts'
import { createRedisClient, createSql, createStorage, isMigrated, migrate } from './storage/index.ts'

function parseConfig(): Config {
  const roleFlag = process.argv.indexOf('--role')
  const env = roleFlag > 0 ? { ...process.env, ROLE: process.argv[roleFlag + 1] } : process.env
  try {
    return loadConfig(env)
  } catch (e) {
    if (!(e instanceof AppError)) throw e
    for (const line of e.message.split('\n')) console.error(`invalid configuration: ${line}`)
    process.exit(2)
  }
}

const noTools: ToolExecutor = {
  execute: async ({ tool }) => ({ ok: false, error: { code: 'tool.unknown', message: `no tool named ${tool}`, retryable: false } }),
}

async function main(): Promise<void> {
  const config = parseConfig()
  setLogLevel(config.logLevel)
  const log = createLogger({ role: config.role, worker: config.workerId })
  const sql = createSql(config.postgres)
  const applied = await migrate(sql, config.postgres.schema)
  if (applied.length > 0) log.info('migrations applied', { applied })

  const { prefix } = config.redis
  const storageRedis = createRedisClient(config.redis.url)
  const storage = createStorage(sql, storageRedis, prefix)
  const bull = createRedis(config.redis.url, `switchboard-${config.role}`)
  const leases = createLeases(bull, prefix, config.workerId, config.actors.leaseTtlMs)
  const mailbox = createMailbox(bull, prefix, leases)
  const deadLetter = createDeadLetter(bull, prefix)
  const pools = createPoolClient(bull, config.redis.url, prefix)
  const clock = systemClock
  const closers: Array<() => Promise<unknown>> = []

  if (config.role !== 'api') {
    const deps = { storage, pools, mailbox, provider: createEchoProvider(), tools: noTools, clock, log }
    const poolWorkers = startPoolWorkers(bull, prefix, config.pools, createPoolHandlers(deps), { deadLetter, log })
    const host = createActorHost({ prefix, ...config.actors }, {
      connection: bull, leases, mailbox, deadLetter, factory: createConversationFactory(deps), log,
    })
    closers.push(() => host.close(config.shutdownGraceMs), () => poolWorkers.close())
  }
  if (config.role !== 'worker') {
    const readiness = async () => ({
      redis: await storageRedis.ping().then(() => true, () => false),
      postgres: await isMigrated(sql),
    })
    const app = createApp({ storage, mailbox, clock, log, readiness }).listen({ hostname: config.api.host, port: config.api.port })
    closers.unshift(async () => app.stop())
    log.info('api listening', { url: `http://${config.api.host}:${app.server?.port}` })
  }
  closers.push(() => pools.close(), () => mailbox.close(), () => deadLetter.close(), () => bull.quit(), () => storageRedis.quit(), () => sql.end())
  log.info('switchboard started', { role: config.role })
  installShutdown(closers, log)
}

function installShutdown(closers: Array<() => Promise<unknown>>, log: ReturnType<typeof createLogger>): void {
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info('shutting down', { signal })
    for (const close of closers) await close().catch((e: Error) => log.warn('close failed', { error: e }))
    log.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

await main()
