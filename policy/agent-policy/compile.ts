// An AgentPolicy turned into decisions: which rule governs a tool, which lookups a call needs, whether the call
// may run now (allow, deny, ask the customer to confirm, ask a person to approve), what the model may see of
// its result, who a successful authentication call proves the customer to be, and what a topic calls for. Pure.
import { amountOf, holds, readsResult, type Refs } from './conditions.ts'
import { fillTemplate, parseRef, resolveRef, type RefScope } from './refs.ts'
import type { AgentPolicySpec, Condition, ToolRule, TopicAction } from './schema.ts'

export type Maturity = 'assist' | 'execute' | 'operate'
export type ToolType = 'READ' | 'WRITE' | 'GENERIC'

export interface CallFacts {
  tool: string
  type: ToolType
  args: Record<string, unknown>
  maturity: Maturity
  /** The customer authenticated in this conversation. */
  subject?: string
  /** Results of the rule's lookups, by name (absent when a lookup failed). */
  lookups: Record<string, unknown>
  /** The customer confirmed exactly this action after it was shown to them. */
  confirmed: boolean
  /** A person approved exactly this action. */
  approved: boolean
}

export type PolicyDecision =
  | { outcome: 'allow'; rule: string; amountUsd?: number; spend?: string }
  | { outcome: 'deny'; rule: string; reason: string }
  | { outcome: 'confirm'; rule: string; summary: string; amountUsd?: number }
  | { outcome: 'approve'; rule: string; summary: string; amountUsd: number }

export interface CompiledAgentPolicy {
  readonly name: string
  readonly version: string
  readonly spec: AgentPolicySpec
  /** The lookups a call of `tool` needs, with their arguments resolved; a lookup whose inputs are missing is left out. */
  lookupsFor(tool: string, scope: Pick<RefScope, 'args' | 'subject'>): Array<{ name: string; tool: string; args: Record<string, unknown> }>
  decide(call: CallFacts): PolicyDecision
  /** Conditions on the tool's own result, checked before the model sees it: undefined when they hold. */
  checkResult(call: CallFacts, result: unknown): { rule: string; reason: string } | undefined
  /** Result paths the model must not see. */
  hiddenFields(tool: string): readonly string[]
  /** Who a successful call of an authentication tool proves the customer to be; undefined for other tools. */
  authenticates(tool: string, result: unknown): string | undefined
  isAuthenticationTool(tool: string): boolean
  /** What a new request of this type calls for; undefined when the agent handles it. */
  topic(intent: string): (TopicAction & { rule: string }) | undefined
  readonly redactPii: boolean
  /** Which model spend cap the spend so far has reached, if any. */
  modelBudgetReached(spent: { conversation?: number; customerDay?: number; tenantDay?: number }): string | undefined
  spendingCaps(category: string): NonNullable<AgentPolicySpec['spending']>[string] | undefined
}

const DEFAULT_LEVELS: Record<ToolType, readonly Maturity[]> = {
  READ: ['assist', 'execute', 'operate'],
  WRITE: ['execute', 'operate'],
  GENERIC: ['execute', 'operate'],
}

/** Every `$reference` a rule uses, parsed once. */
function collectRefs(rule: ToolRule, refs: Refs): void {
  const add = (v: string | undefined) => v?.startsWith('$') && !refs.has(v) && refs.set(v, parseRef(v))
  for (const c of rule.require ?? []) for (const t of [c, ...(c.any ?? [])]) [t.value, t.equals, t.notEquals, t.atLeast].forEach(add)
  for (const l of Object.values(rule.lookups ?? {})) Object.values(l.args).forEach(add)
  const a = rule.amount
  if (a) [a.value, a.sumOf, a.where?.in].forEach(add)
  for (const m of rule.summary?.matchAll(/\{(\$[^}]+)\}/g) ?? []) add(m[1])
}

const conditionName = (rule: ToolRule, c: Condition, i: number) => `${rule.name}.${c.name ?? `require[${i}]`}`

export function compileAgentPolicy(name: string, spec: AgentPolicySpec): CompiledAgentPolicy {
  const refs: Refs = new Map()
  const byTool = new Map<string, ToolRule>()
  for (const rule of spec.tools) {
    collectRefs(rule, refs)
    for (const tool of rule.tools) if (!byTool.has(tool)) byTool.set(tool, rule)
  }
  const auth = new Map((spec.authentication?.tools ?? []).map((t) => [t.tool, parseRef(t.subject)]))
  const scopeOf = (c: CallFacts, result?: unknown): RefScope => ({ args: c.args, subject: c.subject, lookups: c.lookups, result })
  const failing = (rule: ToolRule, scope: RefScope, phase: 'before' | 'after') =>
    (rule.require ?? []).map((c, i) => ({ c, i })).find(({ c }) => readsResult(c, refs) === (phase === 'after') && !holds(c, refs, scope))

  return {
    name, version: spec.version, spec,
    lookupsFor(tool, scope) {
      const rule = byTool.get(tool)
      return Object.entries(rule?.lookups ?? {}).flatMap(([lookup, l]) => {
        const args = Object.fromEntries(Object.entries(l.args).map(([k, v]) => [k, v.startsWith('$') ? resolveRef(refs.get(v)!, { ...scope, lookups: {} }) : v]))
        return Object.values(args).some((v) => v === undefined || v === null) ? [] : [{ name: lookup, tool: l.tool, args }]
      })
    },
    decide(call) {
      const rule = byTool.get(call.tool)
      if (!rule) {
        if (call.type === 'READ' || spec.unlistedWrites === 'allow') return levels(call, DEFAULT_LEVELS[call.type], 'default') ?? { outcome: 'allow', rule: 'default' }
        return { outcome: 'deny', rule: 'default.unlisted_write', reason: `${call.tool} changes data and no rule of this policy allows it` }
      }
      return decideRule(rule, call, scopeOf(call))
    },
    checkResult(call, result) {
      const rule = byTool.get(call.tool)
      const failed = rule && failing(rule, scopeOf(call, parseResult(result)), 'after')
      return failed ? { rule: conditionName(rule, failed.c, failed.i), reason: failed.c.message ?? 'the result is not this customer\'s to see' } : undefined
    },
    hiddenFields: (tool) => byTool.get(tool)?.hideFromModel ?? [],
    authenticates(tool, result) {
      const subject = auth.get(tool)
      if (!subject) return undefined
      const value = resolveRef(subject, { args: {}, lookups: {}, result: parseResult(result) })
      return typeof value === 'string' && value.trim() !== '' ? value : undefined
    },
    isAuthenticationTool: (tool) => auth.has(tool),
    topic(intent) {
      const topics = spec.topics
      if (!topics) return undefined
      const specific = topics.rules?.findIndex((r) => r.intents.includes(intent)) ?? -1
      if (specific >= 0) return { ...topics.rules![specific]!, rule: `topics.rules[${specific}]` }
      const allowed = topics.allow ? topics.allow.includes(intent) : intent !== 'out_of_scope'
      return allowed ? undefined : { ...topics.outOfScope, rule: 'topics.outOfScope' }
    },
    redactPii: spec.dataAccess?.redactPii ?? true,
    modelBudgetReached(spent) {
      const caps = spec.modelBudget ?? {}
      const checks: Array<[string, number | undefined, number | undefined]> = [
        ['conversationUsd', caps.conversationUsd, spent.conversation], ['customerDailyUsd', caps.customerDailyUsd, spent.customerDay],
        ['tenantDailyUsd', caps.tenantDailyUsd, spent.tenantDay],
      ]
      const hit = checks.find(([, cap, used]) => cap !== undefined && used !== undefined && used >= cap)
      return hit && `the model spend cap ${hit[0]} of $${hit[1]} is reached ($${hit[2]!.toFixed(4)} spent; rule modelBudget.${hit[0]})`
    },
    spendingCaps: (category) => spec.spending?.[category],
  }

  function levels(call: CallFacts, allowed: readonly Maturity[], rule: string): PolicyDecision | undefined {
    if (allowed.includes(call.maturity)) return undefined
    return { outcome: 'deny', rule: `${rule}.maturity`, reason: `${call.tool} is not allowed in ${call.maturity} mode` }
  }

  function decideRule(rule: ToolRule, call: CallFacts, scope: RefScope): PolicyDecision {
    if (rule.deny) return { outcome: 'deny', rule: rule.name, reason: `${call.tool} is not allowed for this agent` }
    const level = levels(call, rule.allowedIn ?? DEFAULT_LEVELS[call.type], rule.name)
    if (level) return level
    const failed = failing(rule, scope, 'before')
    if (failed) return { outcome: 'deny', rule: conditionName(rule, failed.c, failed.i), reason: failed.c.message ?? `condition ${failed.c.name ?? failed.i} does not hold` }
    const needsAmount = rule.approvalAbove !== undefined || rule.spend !== undefined
    const amountUsd = rule.amount ? amountOf(rule.amount, refs, scope) : undefined
    if (needsAmount && amountUsd === undefined) return { outcome: 'deny', rule: `${rule.name}.amount`, reason: 'the amount of this action cannot be worked out' }
    const summary = fillTemplate(rule.summary ?? `${call.tool} ${JSON.stringify(call.args)}`, refs, scope)
    if (rule.confirm && !call.confirmed) return { outcome: 'confirm', rule: `${rule.name}.confirm`, summary, ...(amountUsd !== undefined ? { amountUsd } : {}) }
    if (rule.approvalAbove !== undefined && amountUsd! > rule.approvalAbove && !call.approved) {
      return { outcome: 'approve', rule: `${rule.name}.approval`, summary, amountUsd: amountUsd! }
    }
    return { outcome: 'allow', rule: rule.name, ...(amountUsd !== undefined ? { amountUsd } : {}), ...(rule.spend ? { spend: rule.spend } : {}) }
  }
}

/** Tools return JSON text or a bare string (a user id); conditions read either. */
function parseResult(result: unknown): unknown {
  if (typeof result !== 'string') return result
  try {
    return JSON.parse(result)
  } catch {
    return result
  }
}
