// The context a model step sees, by reference: the conversation actor names its context window by message ids and
// checkpoints each model answer and tool result as a step; the provider actor of a queued call rebuilds the same
// context from Postgres. So no customer text travels in a provider job, and a redelivered job sees what its turn saw.
// A call made in the actor's own process is handed the context as the actor holds it (protocol.ts, `HeldContext`).
import type { ChatTurn, PoolResults } from './protocol.ts'
import { transcriptTurn, type TurnContextRows } from '../storage/index.ts'

/** What the context keeps of a message a guardrail blocked: the card number must not reach later model calls. */
export const WITHHELD_MESSAGE = '[message withheld by a guardrail]'

/** The turn step holding the input guardrail's verdict when it did not allow the message: what withholds it. */
export const INPUT_GUARD_STEP = 'guardrail.input'

/** The turn step of the model's i-th answer; a revision (second pass after the output checks) has its own names. */
export const modelStepName = (i: number, revising: boolean): string => (revising ? `revise.model.${i}` : `model.${i}`)

/** The turn step of a tool result: per model step, since a model may reuse a call id in a later pass. */
export const toolStepName = (modelStep: string, callId: string): string => `tool.${modelStep}.${callId}`

type ModelResult = PoolResults['provider.complete']

/** The context window as the conversation actor held it: its messages, earlier turns' transcripts, withheld words. */
export function windowTurns(ids: readonly string[], rows: TurnContextRows): ChatTurn[] {
  const out: ChatTurn[] = []
  for (const id of ids) {
    const message = rows.messages.get(id)
    if (message) {
      out.push({ role: message.role, text: rows.withheld.has(id) ? WITHHELD_MESSAGE : message.text })
      continue
    }
    const turn = transcriptTurn(id)
    const entry = turn ? rows.replies.get(turn)?.transcript?.[Number(id.slice(turn.length + 2))] : undefined
    if (entry) out.push(entry as ChatTurn)
  }
  return out
}

/**
 * What the turn added before `step`: each earlier model answer that asked for tools, and those tools' results, in
 * order. A revision pass follows the whole first pass.
 */
export function turnProgress(steps: ReadonlyMap<string, unknown>, step: string): ChatTurn[] {
  const revising = step.startsWith('revise.')
  const upTo = Number(step.slice(step.lastIndexOf('.') + 1))
  const out: ChatTurn[] = []
  const pass = (revision: boolean, before: number) => {
    for (let i = 1; i < before; i++) {
      const name = modelStepName(i, revision)
      const answer = steps.get(name) as ModelResult | undefined
      if (!answer || answer.toolCalls.length === 0) return
      out.push({ role: 'assistant', text: answer.text, toolCalls: answer.toolCalls })
      for (const call of answer.toolCalls) {
        const result = steps.get(toolStepName(name, call.id)) as { turn: ChatTurn } | undefined
        if (result) out.push(result.turn)
      }
    }
  }
  if (revising) pass(false, Infinity)
  pass(revising, upTo)
  return out
}
