// A person decided on an action the policy held for approval. An approved action runs once, through the tool
// pool and its policy check like any call; the customer is told the outcome either way, once.
import type { ApprovalDecided, ChatTurn, MailOutcome, RecordedReply } from '../protocol.ts'
import { beginSteps, remember, type ConversationContext } from './state.ts'
import { REPLY_STEP } from './turn.ts'

function outcomeText(msg: ApprovalDecided, result?: { ok: boolean; message?: string }): string {
  const { summary, reason } = msg.payload
  if (!msg.payload.approved) return `A member of our team reviewed this request (${summary}) and could not approve it${reason ? `: ${reason}` : ''}.`
  if (result?.ok) return `Good news: a member of our team approved ${summary}, and it is done.`
  return `A member of our team approved ${summary}, but it could not be completed (${result?.message ?? 'unknown error'}). They will follow up here.`
}

export async function handleApproval(msg: ApprovalDecided, ctx: ConversationContext): Promise<MailOutcome> {
  const { state, deps } = ctx
  const turnId = msg.payload.approvalId
  const turn = { conversationId: state.conversationId, turnId }
  const known = await deps.storage.turnSteps.get<RecordedReply>(turnId, REPLY_STEP)
  beginSteps(ctx, turnId, known ? new Map([[REPLY_STEP, known]]) : undefined)
  const reply = await ctx.step(REPLY_STEP, async () => {
    const transcript: ChatTurn[] = []
    let result: { ok: boolean; message?: string } | undefined
    if (msg.payload.approved) {
      const call = { id: 'approved', name: msg.payload.tool, arguments: msg.payload.args }
      const outcome = await deps.supervisor.invokeTool(turn, call)
      const value = outcome.ok ? outcome.value : { ok: false as const, error: outcome.error }
      result = value.ok ? { ok: true } : { ok: false, message: value.error.message }
      transcript.push({ role: 'assistant', text: '', toolCalls: [call] })
      transcript.push({ role: 'tool', toolCallId: call.id, name: call.name, text: JSON.stringify(value.ok ? value.output : { error: value.error }), isError: !value.ok })
    }
    return { id: `${turnId}.reply`, text: outcomeText(msg, result), escalated: false, transcript } satisfies RecordedReply
  }, async (recorded) => (await deps.storage.turnSteps.recordReply(state.conversationId, turnId, REPLY_STEP, recorded)).result)
  reply.transcript?.forEach((t, i) => remember(state, `${turnId}.t${i}`, t, deps))
  remember(state, reply.id, { role: 'assistant', text: reply.text }, deps)
  await deps.storage.events.publish({
    id: reply.id, type: 'reply.completed', conversationId: state.conversationId, at: deps.clock.now(),
    data: { messageId: reply.id, turnId, text: reply.text, escalated: false },
  })
  return 'done'
}
