// The tool boundary's enforcement of an agent's AgentPolicy, whatever model asked for the call: maturity, the
// policy's conditions over the conversation's state and the platform's own lookups, the customer's confirmation
// of exactly these details, a person's approval, spending caps, and what the model may see of the result. Every
// decision is recorded; a refusal goes back to the model as data it can explain.
import type { PendingAction } from '../actors/index.ts'
import { TerminalError, toErrorInfo, type ErrorCode } from '../lib/errors.ts'
import { actionKey, answerOf, detailsShown, redactPii, type CallFacts, type PolicyDecision } from '../policy/index.ts'
import type { Approvals, PolicyState, Spending } from '../storage/index.ts'
import type { ToolResult } from '../tools/index.ts'
import type { PolicyInForce } from './policy-cache.ts'
import { hideFields, parsedOutput } from './result-fields.ts'

export interface EnforcedCall {
  tenantId: string
  conversationId: string
  turnId: string
  callId: string
  agent: string
  maturity: CallFacts['maturity']
  tool: string
  type: CallFacts['type']
  args: Record<string, unknown>
  policy: PolicyInForce | undefined
  /** Runs a READ tool for the policy's lookups. */
  lookup(tool: string, args: Record<string, unknown>, key: string): Promise<ToolResult>
  execute(): Promise<ToolResult>
}

export interface EnforcerDeps {
  state: Pick<PolicyState, 'callFacts' | 'turnMode' | 'claimSubject' | 'consent' | 'useConfirmation' | 'recordDecision'>
  spending: Pick<Spending, 'reserve' | 'spent' | 'release'>
  approvals: Pick<Approvals, 'request' | 'approved'>
  today(): string
}

export type EnforcedResult = ToolResult & { pending?: PendingAction }

const refusal = (code: ErrorCode, message: string, pending?: PendingAction): EnforcedResult =>
  ({ ok: false, error: toErrorInfo(new TerminalError(code, message)), ...(pending ? { pending } : {}) })

export function createPolicyEnforcer(deps: EnforcerDeps) {
  const record = (c: EnforcedCall, d: { rule: string; outcome: PolicyDecision['outcome']; reason?: string; amountUsd?: number }) =>
    deps.state.recordDecision({
      tenantId: c.tenantId, conversationId: c.conversationId, turnId: c.turnId, callId: c.callId, tool: c.tool, agent: c.agent,
      policy: c.policy?.compiled.name ?? null, policyVersion: c.policy ? `${c.policy.compiled.version} (v${c.policy.version})` : null,
      rule: d.rule, outcome: d.outcome, reason: d.reason ?? null, amountUsd: d.amountUsd ?? null,
      inputs: JSON.parse(redactPii(JSON.stringify(c.args))) as Record<string, unknown>,
    })

  /** The customer said yes, in this turn, to a message that showed every detail of this action. */
  async function confirmed(c: EnforcedCall): Promise<boolean> {
    const consent = await deps.state.consent(c.turnId)
    if (!consent?.shown || answerOf(consent.said) !== 'yes' || !detailsShown(consent.shown, c.args)) return false
    return deps.state.useConfirmation(c.conversationId, c.turnId, actionKey(c.tool, c.args), c.callId)
  }

  async function decide(c: EnforcedCall, subject: string | undefined): Promise<PolicyDecision> {
    const policy = c.policy!.compiled
    const lookups: Record<string, unknown> = {}
    await Promise.all(policy.lookupsFor(c.tool, { args: c.args, subject }).map(async (l) => {
      const result = await c.lookup(l.tool, l.args, `${c.callId}:lookup:${l.name}`)
      if (result.ok) lookups[l.name] = parsedOutput(result.output)
    }))
    const facts: CallFacts = { tool: c.tool, type: c.type, args: c.args, maturity: c.maturity, subject, lookups, confirmed: false, approved: false }
    const action = actionKey(c.tool, c.args)
    let decision = policy.decide(facts)
    // A person's approval of exactly this action stands for the customer's confirmation that preceded it.
    if (decision.outcome === 'confirm' || decision.outcome === 'approve') {
      const approved = (await deps.approvals.approved(c.conversationId, action)) !== undefined
      facts.approved = approved
      facts.confirmed = approved || (decision.outcome === 'confirm' && (await confirmed(c)))
      if (facts.approved || facts.confirmed) decision = policy.decide(facts)
    }
    return decision
  }

  async function held(c: EnforcedCall, decision: Extract<PolicyDecision, { outcome: 'confirm' | 'approve' }>): Promise<EnforcedResult> {
    if (decision.outcome === 'confirm') {
      return refusal('policy.confirmation_required', `the customer must confirm: ${decision.summary}`, { kind: 'confirm', summary: decision.summary, amountUsd: decision.amountUsd })
    }
    await deps.approvals.request({
      id: `apr_${c.callId.replace(/[^A-Za-z0-9]/g, '').slice(-40)}`, tenantId: c.tenantId, conversationId: c.conversationId, turnId: c.turnId,
      agent: c.agent, tool: c.tool, args: c.args, action: actionKey(c.tool, c.args), summary: decision.summary, amountUsd: decision.amountUsd,
      policy: c.policy!.compiled.name, policyVersion: c.policy!.compiled.version, rule: decision.rule,
    })
    return refusal('policy.approval_required', `a person must approve: ${decision.summary}`, { kind: 'approve', summary: decision.summary, amountUsd: decision.amountUsd })
  }

  /** Runs the call if the policy allows it; what comes back is what the model may see. */
  async function enforce(call: EnforcedCall): Promise<EnforcedResult> {
    // The level the call's turn began with counts, not the agent's own mode: the promotion gate may hold this
    // conversation's type at another level.
    if (!call.policy) {
      if (call.type === 'READ') return call.execute()
      const c = { ...call, maturity: (await deps.state.turnMode(call.turnId)) ?? call.maturity }
      if (c.maturity === 'assist') {
        await record(c, { rule: 'platform.assist_drafts_only', outcome: 'deny', reason: 'an assist-mode agent never changes data' })
        return refusal('policy.denied', `${c.tool} changes data, and this agent only drafts replies`)
      }
      return c.execute()
    }
    const { subject, allowed, turnMode } = await deps.state.callFacts(call.conversationId, call.callId, call.turnId)
    const c = { ...call, maturity: turnMode ?? call.maturity }
    // A redelivered call that was allowed stays allowed: its first run may have changed what the conditions read
    // (the order a refund workflow returned is no longer 'delivered'), and its effects are idempotent.
    if (allowed) return runAllowed(c, { outcome: 'allow', rule: allowed.rule }, subject)
    const decision = await decide(c, subject)
    await record(c, decision)
    if (decision.outcome === 'deny') return refusal('policy.denied', `${decision.reason} (rule ${decision.rule})`)
    if (decision.outcome !== 'allow') return held(c, decision)
    return runAllowed(c, decision, subject)
  }

  async function runAllowed(c: EnforcedCall, decision: Extract<PolicyDecision, { outcome: 'allow' }>, subject: string | undefined): Promise<EnforcedResult> {
    const policy = c.policy!.compiled
    const caps = decision.spend ? policy.spendingCaps(decision.spend) : undefined
    if (decision.spend && caps && decision.amountUsd !== undefined) {
      const reserved = await deps.spending.reserve({
        callId: c.callId, tenantId: c.tenantId, agent: c.agent, conversationId: c.conversationId, subject, category: decision.spend,
        amountUsd: decision.amountUsd, caps,
      }, deps.today())
      if (!reserved.ok) {
        const rule = `spending.${decision.spend}.${reserved.cap}`
        const reason = `$${decision.amountUsd.toFixed(2)} would pass the ${reserved.cap} cap of $${reserved.limitUsd.toFixed(2)} ($${reserved.spentUsd.toFixed(2)} used)`
        await record(c, { rule, outcome: 'deny', reason, amountUsd: decision.amountUsd })
        return refusal('policy.denied', `${reason} (rule ${rule})`)
      }
    }
    const result = await c.execute()
    if (decision.spend) await (result.ok ? deps.spending.spent(c.callId) : deps.spending.release(c.callId))
    if (!result.ok) return result
    return afterRun(c, result.output, subject)
  }

  /** Checks on the result itself, authentication, and what the model may see of it. */
  async function afterRun(c: EnforcedCall, output: unknown, subject: string | undefined): Promise<EnforcedResult> {
    const policy = c.policy!.compiled
    const facts = { tool: c.tool, type: c.type, args: c.args, maturity: c.maturity, subject, lookups: {}, confirmed: false, approved: false }
    const failed = policy.checkResult(facts, output)
    if (failed) {
      await record(c, { ...failed, outcome: 'deny' })
      return refusal('policy.denied', `${failed.reason} (rule ${failed.rule})`)
    }
    const proved = policy.authenticates(c.tool, parsedOutput(output))
    if (proved) {
      const claimed = await deps.state.claimSubject(c.conversationId, proved, c.tool, c.callId)
      if (!claimed.ok) {
        await record(c, { rule: 'authentication.one_customer', outcome: 'deny', reason: 'this conversation is authenticated as another customer' })
        return refusal('policy.denied', 'this conversation is already authenticated as another customer; only one customer per conversation (rule authentication.one_customer)')
      }
    }
    return { ok: true, output: hideFields(output, policy.hiddenFields(c.tool)) }
  }

  return { enforce }
}
export type PolicyEnforcer = ReturnType<typeof createPolicyEnforcer>
