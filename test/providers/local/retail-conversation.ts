// Test support: plays customer lines against the local provider, running every tool it asks for through the
// real retail tools on a seeded Postgres schema, the way the agent loop does (one tool call a step, results
// as JSON text), with the AgentPolicy's confirmation rule applied at each write as the platform applies it.
import { afterAll, beforeAll, beforeEach } from 'bun:test'
import { answerOf, detailsShown } from '../../../policy/index.ts'
import type { ProviderMessage, ToolCall } from '../../../providers/provider.ts'
import { loadIntentModel, type LocalProviderResponse } from '../../../providers/local/index.ts'
import { TAU2_RETAIL_TOOLS } from '../../../tools/index.ts'
import { createRetailFixture, type RetailFixture } from '../../tools/support/retail-fixture.ts'
import { playTurns } from './play-turns.ts'

const WRITES = new Set(['cancel_pending_order', 'modify_pending_order_address', 'modify_pending_order_items', 'modify_pending_order_payment',
  'modify_user_address', 'return_delivered_order_items', 'exchange_delivered_order_items'])

const tools = TAU2_RETAIL_TOOLS.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters as Record<string, unknown> }))

export interface Conversation {
  messages: ProviderMessage[]
  /** The agent's reply to each customer line, in order. */
  replies: LocalProviderResponse[]
  /** The writes the tools ran. */
  writes: ToolCall[]
  /** Customer lines after which the agent escalated stop the conversation. */
  escalated?: string
}

function confirmedByCustomer(messages: ProviderMessage[], args: Record<string, unknown>): boolean {
  const lastUser = messages.map((m) => m.role).lastIndexOf('user')
  const shown = messages.slice(0, lastUser).reverse().find((m) => m.role === 'assistant' && m.content !== '')
  return shown !== undefined && answerOf(messages[lastUser]!.content) === 'yes' && detailsShown(shown.content, args)
}

export async function converse(fx: RetailFixture, lines: string[], earlier: ProviderMessage[] = []): Promise<Conversation> {
  const writes: ToolCall[] = []
  const runTool = async (call: ToolCall, messages: ProviderMessage[]): Promise<ProviderMessage> => {
    const refused = WRITES.has(call.name) && !confirmedByCustomer(messages, call.arguments)
    const result = refused
      ? { ok: false as const, error: { code: 'policy.confirmation_required', message: 'the customer must confirm' } }
      : await fx.executor.executeTool({ tool: call.name, args: call.arguments, idempotencyKey: call.id })
    if (result.ok && WRITES.has(call.name)) writes.push(call)
    return { role: 'tool', toolCallId: call.id, name: call.name, content: JSON.stringify(result.ok ? result.output : { error: result.error }), isError: !result.ok }
  }
  const { messages, replies } = await playTurns(lines, { tools, runTool, earlier, stopsAfter: (r) => r.decision.action === 'escalate' })
  const last = replies.at(-1)
  return { messages, replies, writes, ...(last?.decision.action === 'escalate' ? { escalated: last.decision.reason } : {}) }
}

/** What a read-only tool returns, for checking what the conversation changed; a tool error fails the test. */
export async function lookup<T>(fx: RetailFixture, tool: string, args: Record<string, unknown>): Promise<T> {
  const result = await fx.executor.executeTool({ tool, args, idempotencyKey: `check-${tool}-${JSON.stringify(args)}` })
  if (!result.ok) throw new Error(result.error.message)
  return result.output as T
}

/** A seeded retail schema for a test file, reset before each test; `fx` is set from the first test on. */
export function useRetailFixture(): { fx: RetailFixture } {
  const holder = {} as { fx: RetailFixture }
  beforeAll(async () => {
    loadIntentModel()
    holder.fx = await createRetailFixture()
  }, 60_000)
  afterAll(() => holder.fx.close())
  beforeEach(() => holder.fx.reset())
  return holder
}

/** The reason of each reply, in order. */
export const reasonsOf = (c: Pick<Conversation, 'replies'>): string[] => c.replies.map((r) => r.decision.reason)

/** The writes a conversation ran, as [tool, arguments]. */
export const writesOf = (c: Pick<Conversation, 'writes'>): [string, Record<string, unknown>][] => c.writes.map((w) => [w.name, w.arguments])
