// The retail demo policy enforced on tool calls without the rest of the runtime: a seeded retail schema, the
// enforcer over real storage, and a conversation whose last shown message and customer reply a test sets.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createPolicyEnforcer, type EnforcedCall } from '../../agents/index.ts'
import { compileAgentPolicy, type AgentPolicySpec } from '../../policy/index.ts'
import { parseResourceDocuments } from '../../resources/index.ts'
import { createStorage, type Storage } from '../../storage/index.ts'
import { RETAIL_TOOLS, type ToolResult } from '../../tools/index.ts'
import { createTestRedis, type TestRedis } from '../support/redis.ts'
import { createRetailFixture, type RetailFixture } from '../tools/support/retail-fixture.ts'

const POLICY_FILE = join(import.meta.dir, '..', '..', 'demo', 'resources', 'demo-policy.yaml')
const types = new Map(RETAIL_TOOLS.map((t) => [t.name, t.type]))

export interface PolicyBench {
  fx: RetailFixture
  redis: TestRedis
  storage: Storage
  /** Runs one call under the retail policy in `conversationId`, the customer having said `said` after being shown `shown`. */
  call(conversationId: string, tool: string, args: Record<string, unknown>, exchange?: { shown?: string; said?: string }): Promise<ToolResult>
  close(): Promise<void>
}

export async function startPolicyBench(policyOverrides: Partial<AgentPolicySpec> = {}): Promise<PolicyBench> {
  const fx = await createRetailFixture()
  const redis = await createTestRedis()
  const storage = createStorage(fx.sql, redis.client, redis.prefix)
  const spec = { ...(parseResourceDocuments(readFileSync(POLICY_FILE, 'utf8'))[0]!.spec as AgentPolicySpec), ...policyOverrides }
  const policy = { compiled: compileAgentPolicy('retail', spec), scope: '*', version: 1 }
  const enforcer = createPolicyEnforcer({
    state: storage.policyState, spending: storage.spending, approvals: storage.approvals, today: () => new Date().toISOString().slice(0, 10),
  })
  let seq = 0
  return {
    fx, redis, storage,
    async call(conversationId, tool, args, exchange = {}) {
      await storage.conversations.ensure({ id: conversationId, tenantId: 'acme', agent: 'demo' })
      const turnId = `${conversationId}-t${++seq}`
      if (exchange.shown) await storage.messages.append({ id: `${turnId}-shown`, conversationId, role: 'assistant', text: exchange.shown })
      await storage.messages.append({ id: turnId, conversationId, role: 'customer', text: exchange.said ?? 'please go ahead' })
      const callId = `${turnId}.tool.${tool}`
      const run = (t: string, a: Record<string, unknown>, key: string) => fx.executor.executeTool({ tool: t, args: a, idempotencyKey: key, conversationId, turnId })
      const enforced: EnforcedCall = {
        tenantId: 'acme', conversationId, turnId, callId, agent: 'demo', maturity: 'execute', tool, type: types.get(tool) ?? 'GENERIC', args, policy,
        lookup: run, execute: () => run(tool, args, callId),
      }
      return enforcer.enforce(enforced)
    },
    async close() {
      await fx.close()
      await redis.cleanup()
    },
  }
}

/** Every argument value, as a person would read them back: what a confirmation request must show. */
export const detailsOf = (tool: string, args: Record<string, unknown>) => `I will ${tool} with ${JSON.stringify(args)}. Reply yes to confirm.`
