// The worker role: the demo agent (its model, instructions and tools), the pools and the actor host.
// Part of the composition root: it may import every layer.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createConversationFactory, createPoolHandlers, type AgentProfile, type ToolExecutor } from './actors/index.ts'
import type { Clock } from './lib/clock.ts'
import type { Config } from './lib/config.ts'
import type { Logger } from './lib/log.ts'
import { createDirectGateway, createEchoProvider, createLocalProvider, type ModelGateway } from './providers/index.ts'
import {
  createActorHost, startPoolWorkers, type ActorHost, type DeadLetter, type Leases, type MailboxSender, type PoolQueues,
} from './queues/index.ts'
import type Redis from 'ioredis'
import type { Storage } from './storage/index.ts'
import { createToolExecutor, createToolRegistry, RETAIL_TOOLS, seedRetail } from './tools/index.ts'

export interface WorkerRoleDeps {
  config: Config
  storage: Storage
  bull: Redis
  leases: Leases
  mailbox: MailboxSender
  deadLetter: DeadLetter
  pools: PoolQueues
  clock: Clock
  log: Logger
  gateway?: ModelGateway
  tools?: ToolExecutor
}

export interface WorkerRole {
  host: ActorHost
  close(): Promise<void>
}

const POLICY_PATH = join(import.meta.dir, 'data', 'retail', 'policy.md')

/** The quick start's demo agent: the τ²-bench retail policy as instructions, the retail tools. */
function demoAgent(tools: AgentProfile['tools']): AgentProfile {
  return { system: readFileSync(POLICY_PATH, 'utf8'), tools }
}

function defaultGateway(config: Config): ModelGateway {
  return config.agent.provider === 'echo'
    ? createDirectGateway(createEchoProvider(config.agent.echoDelayMs), 'echo')
    : createDirectGateway(createLocalProvider(), 'local')
}

export async function startWorkerRole(deps: WorkerRoleDeps): Promise<WorkerRole> {
  const { config, storage, log } = deps
  const registry = createToolRegistry([...RETAIL_TOOLS])
  if (await seedRetail(storage.sql)) log.info('retail demo database seeded')
  const tools = deps.tools ?? toPoolExecutor(createToolExecutor({ registry, sql: storage.sql }))
  const runtime = {
    storage, pools: deps.pools, mailbox: deps.mailbox, gateway: deps.gateway ?? defaultGateway(config), tools,
    agents: { demo: demoAgent(registry.specs()) }, defaultAgent: 'demo', clock: deps.clock, log,
  }
  const poolOptions = { prefix: config.redis.prefix, concurrency: config.pools, lockDurationMs: config.actors.leaseTtlMs }
  const poolWorkers = startPoolWorkers(deps.bull, poolOptions, createPoolHandlers(runtime), { deadLetter: deps.deadLetter, log })
  const host = createActorHost({ prefix: config.redis.prefix, ...config.actors }, {
    connection: deps.bull, leases: deps.leases, mailbox: deps.mailbox, deadLetter: deps.deadLetter,
    factory: createConversationFactory(runtime), log,
  })
  return { host, close: async () => (await host.close(config.shutdownGraceMs), await poolWorkers.close()) }
}

function toPoolExecutor(executor: ReturnType<typeof createToolExecutor>): ToolExecutor {
  return { execute: (call) => executor.executeTool(call) }
}
