// Load-time checks: a policy whose rule can never match enforces nothing, so it is refused when it loads, with
// the path of each problem. Tools must exist in the tenant's catalogue, lookups must read, references must name
// a lookup or an argument the tool has, and every example must come out as it says. Pure.
import { compileAgentPolicy, type ToolType } from './compile.ts'
import { parseRef, refRoots } from './refs.ts'
import type { AgentPolicySpec, ToolRule } from './schema.ts'

/** What the load-time checks know of the tenant's catalogue: each tool's type and argument names (when known). */
export interface CatalogueView {
  tool(name: string): { type: ToolType; args?: readonly string[] } | undefined
}

const ROOTS = new Set(['args', 'subject', 'result'])

function refProblems(rule: ToolRule, path: string, catalogue: CatalogueView): string[] {
  const problems: string[] = []
  const lookups = new Set(Object.keys(rule.lookups ?? {}))
  const texts: Array<[string, string | undefined]> = []
  ;(rule.require ?? []).forEach((c, i) => [c, ...(c.any ?? [])].forEach((t, j) => {
    const at = j === 0 ? `${path}/require/${i}` : `${path}/require/${i}/any/${j - 1}`
    if (t.value === undefined && t.authenticated === undefined && !(j === 0 && c.any)) problems.push(`${at}: a condition needs value, authenticated or any`)
    if (t.value !== undefined && [t.equals, t.notEquals, t.in, t.startsWith, t.atLeast, t.exists].every((x) => x === undefined)) {
      problems.push(`${at}: ${t.value} is compared with nothing (add equals, in, startsWith, atLeast or exists)`)
    }
    for (const v of [t.value, t.equals, t.notEquals, t.atLeast]) texts.push([at, v])
  }))
  Object.entries(rule.lookups ?? {}).forEach(([name, l]) => {
    if (catalogue.tool(l.tool)?.type !== 'READ') problems.push(`${path}/lookups/${name}/tool: ${l.tool} is not a READ tool of the catalogue`)
    for (const v of Object.values(l.args)) texts.push([`${path}/lookups/${name}/args`, v])
  })
  for (const v of [rule.amount?.value, rule.amount?.sumOf, rule.amount?.where?.in]) texts.push([`${path}/amount`, v])
  for (const [at, text] of texts) {
    if (!text?.startsWith('$')) continue
    let parsed
    try {
      parsed = parseRef(text)
    } catch (e) {
      problems.push(`${at}: ${(e as Error).message}`)
      continue
    }
    for (const root of refRoots(parsed)) if (!ROOTS.has(root) && !lookups.has(root)) problems.push(`${at}: ${text} names no lookup "${root}"`)
    if (parsed.root === 'args' && typeof parsed.path[0] === 'string') {
      for (const tool of rule.tools) {
        const known = catalogue.tool(tool)?.args
        if (known && !known.includes(parsed.path[0])) problems.push(`${at}: ${tool} has no argument "${parsed.path[0]}"`)
      }
    }
  }
  return problems
}

function ruleProblems(rule: ToolRule, i: number, spec: AgentPolicySpec, catalogue: CatalogueView): string[] {
  const path = `/spec/tools/${i}`
  const problems: string[] = []
  rule.tools.forEach((t, j) => { if (!catalogue.tool(t)) problems.push(`${path}/tools/${j}: no tool "${t}" in the catalogue`) })
  if ((rule.approvalAbove !== undefined || rule.spend !== undefined) && !rule.amount) problems.push(`${path}: approvalAbove and spend need an amount`)
  if (rule.amount?.sumOf && !rule.amount.field) problems.push(`${path}/amount: sumOf needs a field`)
  if (rule.spend && !spec.spending?.[rule.spend]) problems.push(`${path}/spend: no spending category "${rule.spend}"`)
  return [...problems, ...refProblems(rule, path, catalogue)]
}

/** Every problem of the policy against the catalogue; empty when it may load. */
export function agentPolicyProblems(name: string, spec: AgentPolicySpec, catalogue: CatalogueView): string[] {
  const problems = spec.tools.flatMap((rule, i) => ruleProblems(rule, i, spec, catalogue))
  const names = spec.tools.map((r) => r.name)
  names.forEach((n, i) => names.indexOf(n) !== i && problems.push(`/spec/tools/${i}/name: "${n}" is used twice`))
  ;(spec.authentication?.tools ?? []).forEach((a, i) => {
    if (!catalogue.tool(a.tool)) problems.push(`/spec/authentication/tools/${i}/tool: no tool "${a.tool}" in the catalogue`)
  })
  const topics = spec.topics
  for (const [i, t] of [topics?.outOfScope, ...(topics?.rules ?? [])].entries()) {
    if (!t) continue
    const at = i === 0 ? '/spec/topics/outOfScope' : `/spec/topics/rules/${i - 1}`
    if (t.action === 'handoff' && !t.agent) problems.push(`${at}: handoff needs the agent that takes over`)
    if (t.action === 'decline' && !t.message) problems.push(`${at}: decline needs the message the customer gets`)
  }
  if (problems.length > 0) return problems
  return exampleProblems(name, spec, catalogue)
}

function exampleProblems(name: string, spec: AgentPolicySpec, catalogue: CatalogueView): string[] {
  const policy = compileAgentPolicy(name, spec)
  return spec.examples.flatMap((ex, i) => {
    const type = catalogue.tool(ex.tool)?.type
    if (!type) return [`/spec/examples/${i}/tool: no tool "${ex.tool}" in the catalogue`]
    const facts = {
      tool: ex.tool, type, args: ex.args, maturity: ex.maturity ?? 'execute', subject: ex.subject, lookups: (ex.lookups ?? {}) as Record<string, unknown>,
      confirmed: ex.confirmed ?? false, approved: ex.approved ?? false,
    } as const
    let decision = policy.decide(facts)
    if (decision.outcome === 'allow' && ex.result !== undefined) {
      const failed = policy.checkResult(facts, ex.result)
      if (failed) decision = { outcome: 'deny', ...failed }
    }
    const wrongRule = ex.rule !== undefined && decision.rule !== ex.rule
    if (decision.outcome === ex.expect && !wrongRule) return []
    return [`/spec/examples/${i}: "${ex.name}" expected ${ex.expect}${ex.rule ? ` by ${ex.rule}` : ''}, the policy says ${decision.outcome} by ${decision.rule}`]
  })
}
