// The agent's reply as the customer may see it: the agent loop runs, then the output checks (grounding against
// this turn's tool results and passages, personal data, brand voice, confidence) judge the reply. A reply that
// fails is asked for again once, with the reason; if the second one fails too, a person takes over and the
// customer never sees either draft. The platform's own words (a confirmation request) are not the model's claims.
import type { ChatTurn, TurnReceived } from '../protocol.ts'
import type { ErrorCode, ErrorInfo } from '../../lib/errors.ts'
import type { RunnableAgent, RunnablePolicy } from '../agent-directory.ts'
import type { TurnPassage } from '../turn-knowledge.ts'
import { runAgentLoop, type LoopOutcome } from './agent-loop.ts'
import { indexContext } from '../../policy/index.ts'
import { outputStage, type CheckRecord, type TurnSignals } from './guardrails.ts'
import type { ConversationContext } from './state.ts'

export interface ReplyInputs {
  agent: RunnableAgent
  policy: RunnablePolicy | undefined
  passages: readonly TurnPassage[]
  signals: TurnSignals
  mode: 'assist' | 'execute' | 'operate'
}

export async function checkedReply(msg: TurnReceived, ctx: ConversationContext, inputs: ReplyInputs): Promise<LoopOutcome> {
  const first = await runAgentLoop(msg, ctx, inputs.agent)
  if (first.kind !== 'reply' || first.platform) return first
  const judged = judge(first, 0, msg, ctx, inputs)
  if (judged.verdict === 'allow') return { ...first, text: judged.text, checks: [...first.checks, ...judged.checks] }
  const checks = [...first.checks, ...judged.checks]
  if (judged.verdict !== 'regenerate') return refused(judged, first.transcript, checks)
  const second = await runAgentLoop(msg, ctx, inputs.agent, { draft: first.text, reason: judged.reason, transcript: first.transcript })
  const transcript = [...first.transcript, ...second.transcript]
  checks.push(...second.checks)
  if (second.kind !== 'reply') return { ...second, transcript, checks }
  if (second.platform) return { ...second, transcript, checks }
  // The revision stands on what the first pass looked up too: its tool results are part of the grounding context.
  const again = judge({ text: second.text, transcript }, 1, msg, ctx, inputs)
  checks.push(...again.checks)
  if (again.verdict === 'allow') return { ...second, text: again.text, transcript, checks }
  return refused(again, transcript, checks)
}

interface Judged {
  verdict: 'allow' | 'regenerate' | 'escalate' | 'block'
  text: string
  reason: string
  code: ErrorCode
  checks: CheckRecord[]
}

function judge(loop: { text: string; transcript: ChatTurn[] }, attempt: number, msg: TurnReceived, ctx: ConversationContext, i: ReplyInputs): Judged {
  const { history } = ctx.state
  const out = outputStage({
    reply: loop.text, attempt, mode: i.mode, guardrails: i.policy?.guardrails, signals: i.signals,
    firstReply: !history.some((t) => t.role === 'assistant'),
    // Built only for a reply that makes claims: the window's texts and the rendered instructions are a turn's largest index.
    grounding: () => indexContext({
      toolResults: [...history, ...loop.transcript].filter((t) => t.role === 'tool' && !t.isError).map((t) => t.text),
      // The agent's standing instructions are its policy text: a reply may restate them.
      passages: [...i.passages.map((p) => p.text), i.agent.instructions({ tenantId: ctx.state.route.tenantId })],
      customerMessages: [...history.filter((t) => t.role === 'customer').map((t) => t.text), msg.payload.text],
      earlierReplies: history.filter((t) => t.role === 'assistant' && !t.toolCalls?.length).map((t) => t.text),
    }),
  }, ctx.deps.observer)
  const { report } = out
  // A draft goes to a person whatever it says: the checks are recorded with it, the person decides.
  const verdict = i.mode === 'assist' && report.verdict !== 'regenerate' ? 'allow' : report.verdict
  return { verdict, text: out.text, reason: report.decisive?.reason ?? 'the reply failed a check', code: codeOf(report.decisive?.check), checks: out.checks }
}

function codeOf(check: string | undefined): ErrorCode {
  if (check === 'grounding') return 'guardrail.ungrounded'
  if (check === 'confidence') return 'confidence.low'
  return 'guardrail.escalated'
}

function refused(j: Judged, transcript: ChatTurn[], checks: CheckRecord[]): LoopOutcome {
  const error: ErrorInfo = { code: j.code, message: `the reply was not sent: ${j.reason}`, retryable: false }
  return { kind: 'escalate', error, transcript, checks }
}
