// The one way every flow changes anything (retail policy and the AgentPolicy alike): show the exact
// action, then call the write tool only when the customer's next message is a plain yes to that very
// text. A changed detail gives a different text, so it is shown and confirmed again; a no drops the action.
import { anythingElse, confirmMarker } from '../replies.ts'
import type { ConversationState, ToolOutcome } from '../state.ts'
import { callTool, escalate, reply, type Step } from '../step.ts'

export interface ProposedWrite {
  tool: string
  args: Record<string, unknown>
  /** The action in the customer's words; must name every argument value (the platform checks it did). */
  details: string
}

/** The confirmation request for an action: its details and the marker a yes answers. */
const confirmationText = (w: ProposedWrite): string => `${w.details} ${confirmMarker}`

/** The earlier run of exactly this action in the current task, if any. */
function earlierRun(state: ConversationState, w: ProposedWrite): ToolOutcome | undefined {
  const key = JSON.stringify(w.args)
  return [...state.taskOutcomes].reverse().find((o) => o.call.name === w.tool && JSON.stringify(o.call.arguments) === key)
}

// A refusal from the platform or the backend, as the customer may read it (no internal codes).
const failureText = (content: string): string => content.replace(/^\s*error:?\s*/i, '').replace(/\s*\(rule [^)]*\)\s*$/, '').slice(0, 300)

/** The step for a write: run it on a fresh yes, drop it on a no, else ask. A failed run goes to a person. */
export function confirmWrite(state: ConversationState, w: ProposedWrite): Step {
  const ran = earlierRun(state, w)
  if (ran?.ok) return reply(`That is done. ${anythingElse}`, `done:${w.tool}`)
  if (ran) return escalate(`tool_failed:${w.tool}: ${failureText(ran.content)}`)
  const text = confirmationText(w)
  // The proposal may follow the result of the one before it ("Order #W1 is cancelled. To confirm: …").
  const answeredThis = state.previousAssistantText.endsWith(text)
  if (answeredThis && state.lastEntities.affirmative === true) return callTool(w.tool, w.args, `confirmed:${w.tool}`)
  // "Not yet: I also want to return the smart watch" holds the proposal back to widen it, and the widened
  // proposal is a new text; one that comes out unchanged was not understood, and is never run on a later yes.
  const widens = state.lastEntities.affirmative === false && /\b(also|as well|too)\b/i.test(state.lastUserText)
  if (answeredThis && widens) return escalate(`pending_clarification: an addition to the proposal not understood (${w.tool})`)
  if (answeredThis && state.lastEntities.affirmative === false) {
    return reply(`All right, I have not made that change. ${anythingElse}`, `declined:${w.tool}`)
  }
  return reply(text, `confirm:${w.tool}`)
}
