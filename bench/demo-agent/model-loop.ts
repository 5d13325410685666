// The demo agent's model alone: the local provider and the arena's scripted customer in one process, the
// real retail tools on a seeded Postgres schema, and the AgentPolicy's confirmation rule (details shown,
// then a plain yes) applied at the tool call as the platform applies it. Seconds for all 74 tasks, so it is
// the quick loop; bench/demo-agent/platform.ts measures the same through workers, queues and the API.
import { scriptedCustomer, type RetailTask } from '../../arena/index.ts'
import { answerOf, detailsShown } from '../../policy/index.ts'
import { createLocalProvider } from '../../providers/index.ts'
import type { ProviderMessage, ToolSpec } from '../../providers/index.ts'
import { TAU2_RETAIL_TOOLS } from '../../tools/index.ts'
import type { RetailFixture } from '../../test/tools/support/retail-fixture.ts'
import { WRITE_TOOLS, type Action } from './grading.ts'

export interface Transcript {
  messages: ProviderMessage[]
  writes: Action[]
  escalated?: string
}

const MAX_TURNS = 30
const MAX_STEPS = 6

export const retailToolSpecs = (): ToolSpec[] =>
  TAU2_RETAIL_TOOLS.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters as ToolSpec['parameters'] }))

/** The platform's confirmation rule: the last agent text before this turn named every value, and the customer said yes. */
function confirmed(messages: ProviderMessage[], args: Record<string, unknown>): boolean {
  const lastUser = messages.map((m) => m.role).lastIndexOf('user')
  const shown = messages.slice(0, lastUser).reverse().find((m) => m.role === 'assistant' && m.content.trim() !== '')
  return shown !== undefined && answerOf(messages[lastUser]?.content ?? '') === 'yes' && detailsShown(shown.content, args)
}

async function runTool(fx: RetailFixture, messages: ProviderMessage[], call: { id: string; name: string; arguments: Record<string, unknown> }, writes: Action[]): Promise<ProviderMessage> {
  if (WRITE_TOOLS.has(call.name) && !confirmed(messages, call.arguments)) {
    return { role: 'tool', toolCallId: call.id, name: call.name, content: JSON.stringify({ error: { code: 'policy.confirmation_required', message: 'the customer must confirm' } }), isError: true }
  }
  const result = await fx.executor.executeTool({ tool: call.name, args: call.arguments, idempotencyKey: `${call.id}` })
  if (result.ok && WRITE_TOOLS.has(call.name)) writes.push({ name: call.name, arguments: call.arguments })
  return { role: 'tool', toolCallId: call.id, name: call.name, content: JSON.stringify(result.ok ? result.output : { error: result.error }), isError: !result.ok }
}

/** One conversation of one task; the database is whatever the fixture holds (reset it first). */
export async function runModelLoop(fx: RetailFixture, task: RetailTask, seed: number, local = createLocalProvider()): Promise<Transcript> {
  const tools = retailToolSpecs()
  const customer = scriptedCustomer(task, seed)
  const messages: ProviderMessage[] = []
  const writes: Action[] = []
  let text: string | null = customer.opening()
  for (let turn = 0; text !== null && turn < MAX_TURNS; turn++) {
    messages.push({ role: 'user', content: text })
    let answer = ''
    for (let step = 0; step < MAX_STEPS; step++) {
      const res = await local.complete({ model: 'local', messages, tools })
      messages.push({ role: 'assistant', content: res.text, ...(res.toolCalls.length > 0 ? { toolCalls: res.toolCalls } : {}) })
      if (res.decision.action === 'escalate') return { messages, writes, escalated: res.decision.reason }
      if (res.toolCalls.length === 0) { answer = res.text; break }
      for (const call of res.toolCalls) messages.push(await runTool(fx, messages, call, writes))
    }
    if (!answer) return { messages, writes, escalated: 'step_limit' }
    text = customer.reply(answer)
  }
  return { messages, writes }
}
