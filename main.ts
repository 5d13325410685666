// Composition root: parse the config once, start the platform in its role, stop cleanly on SIGTERM.
// `bun main.ts [--role api|worker|all|controller]`
import { loadConfig, type Config } from './lib/config.ts'
import { AppError } from './lib/errors.ts'
import { createLogger, setLogLevel, type Logger } from './lib/log.ts'
import { startTracing, type Tracing } from './lib/telemetry.ts'
import { startPlatform, type Platform } from './platform.ts'
import { BUILTIN_TOOLS } from './platform-resources.ts'
import { runArenaCli, startLanes } from './platform-arena-cli.ts'
import { modelCustomers } from './platform-arena.ts'
import { ensureDemoConsoleAdmin, ensureDemoTenant, runAdminCommand } from './api/index.ts'
import { createJobScrubber, createRedis } from './queues/index.ts'
import { providerQueueNames } from './platform-routing.ts'
import { createRedisClient, createSql, createStorage, migrate } from './storage/index.ts'

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

function installShutdown(platform: Platform, tracing: Tracing, log: Logger): void {
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info('shutting down', { signal })
    await platform.close()
    await tracing.shutdown()
    log.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

/** `bun main.ts admin …`: one tenant, key or customer command against the configured database, then exit. */
async function runAdmin(config: Config, args: string[]): Promise<never> {
  const { prefix } = config.redis
  const sql = createSql(config.postgres)
  const redis = createRedisClient(config.redis.url)
  const bull = createRedis(config.redis.url, 'switchboard-admin')
  let code = 0
  try {
    await migrate(sql, config.postgres.schema)
    const storage = createStorage(sql, redis, prefix, undefined, { secretsKey: config.agents.secretsKey })
    const deps = {
      storage, dequeue: createJobScrubber(bull, prefix, providerQueueNames(config)), apply: { resources: storage.resources, builtinTools: BUILTIN_TOOLS },
      readSecret: () => Bun.stdin.text(),
      progress: (line: string) => console.error(line),
    }
    console.log(JSON.stringify(await runAdminCommand(deps, args), null, 2))
  } catch (e) {
    console.error(e instanceof AppError ? e.message : e)
    code = 1
  } finally {
    bull.disconnect()
    redis.disconnect()
    await sql.end()
  }
  process.exit(code)
}

// `bun main.ts arena …` needs no running platform (its lanes are its own): it reads the environment itself.
if (process.argv[2] === 'arena') process.exit(await runArenaCli(process.argv.slice(3), process.env))
const config = parseConfig()
if (process.argv[2] === 'admin') await runAdmin(config, process.argv.slice(3))
setLogLevel(config.logLevel)
const log = createLogger({ role: config.role, worker: config.workerId })
// Before the platform: its queues carry trace context only when a tracer provider is installed.
const tracing = startTracing({ exporter: config.telemetry.traces, serviceName: 'switchboard', serviceInstanceId: config.workerId })
const platform = await startPlatform(config, {
  log,
  // A worker with ARENA_RUNNER_LANES plays Arena runs started from the API on lanes of its own.
  arena: { lanes: (runId) => startLanes(config.arena.runnerLanes, runId, process.env), customers: (spec) => modelCustomers(spec, process.env) },
})
if (platform.app) {
  // The demo tenant, its key and its console admin exist before the port opens: a client that finds the API ready
  // (the quick start's script, a readiness probe) can use them at once.
  const demo = await ensureDemoTenant(platform.storage, config.api.demoApiKey)
  const admin = await ensureDemoConsoleAdmin(platform.storage, demo.tenantId, config.console.demoPassword)
  platform.app.listen({ hostname: config.api.host, port: config.api.port })
  log.info('api listening', { url: `http://${config.api.host}:${platform.app.server?.port}` })
  // The quick start's key goes to stdout once, never to the log.
  if (demo.newKey) console.log(`demo tenant "${demo.tenantId}" API key (shown once, store it): ${demo.newKey}`)
  else if (!config.api.demoApiKey) {
    console.log(`demo tenant "${demo.tenantId}" is ready; its key was shown when it was created (new one: npm run -s admin -- create-key ${demo.tenantId})`)
  }
  const consoleUrl = `http://localhost:${platform.app.server?.port}/console`
  if (admin.newPassword) console.log(`console ${consoleUrl}: sign in to tenant "${demo.tenantId}" as ${admin.email} with password ${admin.newPassword} (shown once)`)
  else console.log(`console ${consoleUrl}: tenant "${demo.tenantId}", ${admin.email}`)
}
installShutdown(platform, tracing, log)
log.info('switchboard started', { role: config.role })
