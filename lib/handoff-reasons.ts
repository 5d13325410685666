// Why a conversation reached a human, as a category a support team can count: every escalation reason code maps
// to exactly one. The table is keyed by the closed ErrorCode union, so a new code without a category is a compile
// error rather than an escalation without a reason. Pure: shared by the escalation actor, storage and the console.
import type { ErrorCode } from './errors.ts'

export const REASON_CATEGORIES = [
  'customer_asked', 'missing_knowledge', 'unsupported_request', 'policy_restriction', 'guardrail', 'low_confidence',
  'tool_failure', 'budget', 'pending_clarification', 'approval_needed', 'system_failure',
] as const
export type ReasonCategory = (typeof REASON_CATEGORIES)[number]

/** What each category reads as in the console and in reports. */
export const REASON_CATEGORY_LABELS: Record<ReasonCategory, string> = {
  customer_asked: 'Customer asked for a person',
  missing_knowledge: 'Missing knowledge',
  unsupported_request: 'Unsupported request',
  policy_restriction: 'Policy restriction',
  guardrail: 'Guardrail',
  low_confidence: 'Low confidence',
  tool_failure: 'Tool failure',
  budget: 'Budget',
  pending_clarification: 'Pending clarification',
  approval_needed: 'Approval needed',
  system_failure: 'Platform failure (model or infrastructure)',
}

// Failures of the platform itself (a model down, a queue lost) are reported as such, never dressed up as the
// customer's or the model's doing.
const BY_CODE: Record<ErrorCode, ReasonCategory> = {
  'agent.escalated': 'low_confidence',
  'agent.step_limit': 'low_confidence',
  'guardrail.escalated': 'guardrail',
  'guardrail.ungrounded': 'missing_knowledge',
  'confidence.low': 'low_confidence',
  'budget.exhausted': 'budget',
  'tool.unknown': 'unsupported_request',
  'tool.invalid_args': 'tool_failure',
  'tool.timeout': 'tool_failure',
  'tool.failed': 'tool_failure',
  'provider.rate_limited': 'system_failure',
  'provider.unavailable': 'system_failure',
  'provider.timeout': 'system_failure',
  'provider.rejected': 'system_failure',
  'provider.content_filtered': 'guardrail',
  'provider.malformed': 'system_failure',
  'provider.aborted': 'system_failure',
  'provider.not_routed': 'system_failure',
  'pool.failed': 'system_failure',
  'storage.unavailable': 'system_failure',
  'storage.corrupt': 'system_failure',
  'actor.lease_lost': 'system_failure',
  internal: 'system_failure',
  'config.invalid': 'system_failure',
  'message.invalid': 'system_failure',
  'webhook.failed': 'system_failure',
  'request.invalid': 'system_failure',
  'request.malformed_json': 'system_failure',
  'request.too_large': 'system_failure',
  'request.unsupported_media_type': 'system_failure',
  'idempotency.key_reused': 'system_failure',
  'conversation.closed': 'system_failure',
  'conversation.erased': 'system_failure',
  'auth.missing': 'system_failure',
  'auth.invalid': 'system_failure',
  'auth.forbidden': 'policy_restriction',
  'auth.csrf': 'system_failure',
  not_found: 'system_failure',
  conflict: 'system_failure',
  rate_limited: 'system_failure',
  'resource.invalid': 'system_failure',
  'agent.unknown': 'system_failure',
  'secret.unavailable': 'system_failure',
  'export.rejected': 'system_failure',
  'export.unavailable': 'system_failure',
  'policy.denied': 'policy_restriction',
  'policy.confirmation_required': 'pending_clarification',
  'policy.approval_required': 'approval_needed',
  'topic.out_of_scope': 'unsupported_request',
  'knowledge.exists': 'system_failure',
  'knowledge.version_conflict': 'system_failure',
  'knowledge.no_text': 'missing_knowledge',
  'knowledge.too_large': 'system_failure',
  'knowledge.unsupported_type': 'system_failure',
  'knowledge.fetch_blocked': 'system_failure',
  'knowledge.fetch_failed': 'system_failure',
  'knowledge.fetch_timeout': 'system_failure',
}

// When the agent itself chose to hand over, its own reason (`customer_requested_human`, `unsupported_intent:…`)
// says more than the code; the first matching prefix wins.
const BY_AGENT_DETAIL: Array<[RegExp, ReasonCategory]> = [
  [/^customer_requested_human\b/, 'customer_asked'],
  [/^(missing_knowledge|no_knowledge|not_grounded)\b/, 'missing_knowledge'],
  [/^(unsupported_intent|tool_unavailable)\b/, 'unsupported_request'],
  [/^tool_failed\b/, 'tool_failure'],
  [/^(approval|needs_approval)/, 'approval_needed'],
  [/^(policy|denied)/, 'policy_restriction'],
  [/^(need_|pending_clarification|no_customer_message)/, 'pending_clarification'],
  [/^low_confidence\b/, 'low_confidence'],
]

const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(BY_CODE, code)

/**
 * The category of an escalation from its reason code and detail. An unknown code is a platform failure, named as
 * such, never a missing reason.
 * @example reasonCategory('agent.escalated', 'customer_requested_human') // 'customer_asked'
 */
export function reasonCategory(reason: string, detail?: string | null): ReasonCategory {
  if (!isErrorCode(reason)) return 'system_failure'
  if (reason === 'agent.escalated' && detail) {
    // A model's handoff names its category first (`missing_knowledge: …`, the transfer_to_human tool's argument).
    const named = REASON_CATEGORIES.find((c) => detail.startsWith(`${c}:`))
    if (named) return named
    const match = BY_AGENT_DETAIL.find(([pattern]) => pattern.test(detail))
    if (match) return match[1]
  }
  return BY_CODE[reason]
}
