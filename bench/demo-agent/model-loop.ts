// The demo agent's model alone: the local provider and the arena's scripted customer in one process, the
// real retail tools on a seeded schema (the arena's retail sandbox resets and digests it), and the
// AgentPolicy's confirmation rule (details shown, then a plain yes) applied at each write as the platform
// applies it. Seconds for all 74 tasks: the quick loop beside the platform measurement.
import { gradeTrial, scriptedCustomer, taskScenario, type RetailTask, type TrialResult } from '../../arena/index.ts'
import { answerOf, detailsShown } from '../../policy/index.ts'
import { createLocalProvider, type ProviderMessage, type ToolSpec } from '../../providers/index.ts'
import type { ConversationEvidence, RetailSandbox } from '../../storage/index.ts'
import { TAU2_RETAIL_TOOLS, type ToolExecutor } from '../../tools/index.ts'

const WRITE_TOOLS = new Set(TAU2_RETAIL_TOOLS.filter((t) => t.type === 'WRITE').map((t) => t.name))
const MAX_TURNS = 30
// The platform's agent loop: six model steps a turn, the last of which must answer.
const MAX_STEPS = 6

const toolSpecs: ToolSpec[] = TAU2_RETAIL_TOOLS.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters as ToolSpec['parameters'] }))

/** The platform's confirmation rule: the last agent text before this turn named every value, and the customer said yes. */
function confirmed(messages: ProviderMessage[], args: Record<string, unknown>): boolean {
  const lastUser = messages.map((m) => m.role).lastIndexOf('user')
  const shown = messages.slice(0, lastUser).reverse().find((m) => m.role === 'assistant' && m.content.trim() !== '')
  return shown !== undefined && answerOf(messages[lastUser]?.content ?? '') === 'yes' && detailsShown(shown.content, args)
}

interface Played { messages: ProviderMessage[]; evidence: ConversationEvidence; turns: number; escalation?: string }

async function play(executor: ToolExecutor, task: RetailTask, seed: number, local: ReturnType<typeof createLocalProvider>): Promise<Played> {
  const customer = scriptedCustomer(task, seed)
  const messages: ProviderMessage[] = []
  const toolCalls: ConversationEvidence['toolCalls'] = []
  const requested: ConversationEvidence['requested'] = []
  let escalated = false
  let escalation: string | undefined
  let turns = 0
  let text: string | null = customer.opening()
  while (text !== null && turns < MAX_TURNS && !escalated) {
    messages.push({ role: 'user', content: text })
    turns++
    let answer: string | undefined
    for (let step = 0; step < MAX_STEPS && answer === undefined && !escalated; step++) {
      const res = await local.complete({ model: 'local', messages, tools: toolSpecs })
      messages.push({ role: 'assistant', content: res.text, ...(res.toolCalls.length > 0 ? { toolCalls: res.toolCalls } : {}) })
      escalated = res.decision.action === 'escalate'
      if (escalated) escalation = res.decision.reason
      if (res.toolCalls.length === 0) answer = res.text
      for (const call of res.toolCalls) {
        requested.push({ tool: call.name, args: call.arguments })
        const refused = WRITE_TOOLS.has(call.name) && !confirmed(messages, call.arguments)
        const result = refused
          ? { ok: false as const, error: { code: 'policy.confirmation_required', message: 'the customer must confirm', retryable: false } }
          : await executor.executeTool({ tool: call.name, args: call.arguments, idempotencyKey: call.id })
        // As the platform's tool_calls record: the writes that reached the tools.
        if (!refused && WRITE_TOOLS.has(call.name)) toolCalls.push({ tool: call.name, args: call.arguments, ok: result.ok })
        messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content: JSON.stringify(result.ok ? result.output : { error: result.error }), isError: !result.ok })
      }
    }
    if (answer === undefined && !escalated) [escalated, escalation] = [true, 'agent.step_limit']
    if (!escalated) text = customer.reply(answer!)
  }
  const transcript = messages.flatMap((m) => (m.role === 'user' ? [{ role: 'customer', text: m.content }] : m.role === 'assistant' && m.content ? [{ role: 'assistant', text: m.content }] : []))
  const evidence: ConversationEvidence = {
    transcript, toolCalls, requested, decisions: [], escalated, groundingFailures: 0, costUsd: 0, inputTokens: 0, outputTokens: 0, modelCalls: 0,
  }
  return { messages, evidence, turns, ...(escalation ? { escalation } : {}) }
}

/** Plays one trial of one task from a freshly reset sandbox and grades it as the arena does. */
export async function runModelTrial(
  sandbox: RetailSandbox, executor: ToolExecutor, task: RetailTask, seed: number, goldDigest: string, local = createLocalProvider(),
): Promise<{ result: TrialResult; messages: ProviderMessage[]; escalation?: string }> {
  await sandbox.reset()
  const played = await play(executor, task, seed, local)
  const result = gradeTrial(taskScenario(task), { evidence: played.evidence, digest: await sandbox.digest(), goldDigest, latencyMs: [], turns: played.turns })
  return { result, messages: played.messages, ...(played.escalation ? { escalation: played.escalation } : {}) }
}

/** The digest of the sandbox after the task's gold actions, run straight through the tools. */
export async function goldDigestOf(sandbox: RetailSandbox, executor: ToolExecutor, task: RetailTask): Promise<string> {
  await sandbox.reset()
  for (const [i, a] of (task.evaluation_criteria?.actions ?? []).entries()) {
    await executor.executeTool({ tool: a.name, args: a.arguments, idempotencyKey: `gold-${task.id}-${i}` })
  }
  return sandbox.digest()
}
