// A model call's prompt read back by reference: the provider pool's jobs carry message ids, never the words. One
// round trip returns the messages of the conversation's context window, the recorded replies of the turns whose
// transcripts (tool calls and results) the window holds, the input verdicts that withheld a message, and every
// step the turn itself recorded so far (its model answers and tool results).
import type { TxSql } from './idempotency.ts'
import type { Role } from './messages.ts'
import { MERGED_STEP } from './settled-steps.ts'

export interface TurnContextRows {
  /** The window's messages by id (an id not found, such as an archived message of another conversation, is absent). */
  messages: Map<string, { role: Role; text: string }>
  /** The `reply` step of each turn the window holds transcript entries of (`<turn>.t<i>`). */
  replies: Map<string, { transcript?: unknown[] }>
  /** Messages of the window a guardrail withheld from models: their own turn's input verdict, or the one they merged into. */
  withheld: Set<string>
  /** Every step this turn recorded so far. */
  steps: Map<string, unknown>
}

/** The turn a transcript entry id (`<turn>.t<i>`) belongs to. */
export const transcriptTurn = (id: string): string | undefined => /\.t\d+$/.test(id) ? id.slice(0, id.lastIndexOf('.t')) : undefined

export async function loadTurnContext(sql: TxSql, turnId: string, ids: readonly string[], inputStep: string): Promise<TurnContextRows> {
  const turns = [...new Set(ids.map(transcriptTurn).filter((t) => t !== undefined))]
  // One round trip; each part looks up a primary key (messages by id, turn_steps by turn id), never a scan: the
  // function keeps one plan per session that can only use the keys (migration 290 says why).
  type Row = { kind: 'm' | 's'; id: string; step: string | null; role: Role | null; text: string | null; result: unknown }
  const rows = await sql<Row[]>`select kind, id, step, role, text, result
    from turn_context(${ids as string[]}, ${turnId}, ${turns}, ${inputStep}, ${MERGED_STEP})`
  const out: TurnContextRows = { messages: new Map(), replies: new Map(), withheld: new Set(), steps: new Map() }
  const steps: StepRow[] = []
  for (const r of rows) {
    if (r.kind === 'm') out.messages.set(r.id, { role: r.role!, text: r.text! })
    else if (r.id === turnId) out.steps.set(r.step!, r.result)
    if (r.kind !== 's') continue
    if (r.step === 'reply') out.replies.set(r.id, r.result as { transcript?: unknown[] })
    steps.push({ id: r.id, step: r.step!, result: r.result })
  }
  out.withheld = withheldOf(ids, steps, inputStep)
  return out
}

/** A turn step as read back: the turn's id (its customer message's), the step's name and its result. */
export interface StepRow {
  id: string
  step: string
  result: unknown
}

/**
 * The messages of `ids` a guardrail withheld from models, given their turns' steps: their own turn's input verdict
 * blocked them, or the verdict of the turn they were merged into did (double texting, merge policy).
 */
export function withheldOf(ids: readonly string[], steps: readonly StepRow[], inputStep: string): Set<string> {
  const blocked = new Set<string>()
  const mergedInto = new Map<string, string>()
  for (const s of steps) {
    if (s.step === inputStep && (s.result as { verdict?: string }).verdict === 'block') blocked.add(s.id)
    if (s.step === MERGED_STEP) mergedInto.set(s.id, (s.result as { into: string }).into)
  }
  return new Set(ids.filter((id) => blocked.has(id) || blocked.has(mergedInto.get(id) ?? '')))
}
