// The side-by-side report of a run: per configuration a summary (success, pass^k, violations caught and
// missed, escalations needed, needless and missed, grounding failures, cost, tokens, latency), and per scenario
// each configuration's outcome, with the first turn where the configurations' transcripts part ways.
import type { ArenaRun, ArenaTrial } from '../../storage/index.ts'
import type { TrialResult } from '../grading/index.ts'
import { passHatKSeries } from '../scores/pass-k.ts'
import type { ArenaConfiguration } from '../runs/run-spec.ts'

export interface ConfigSummary {
  name: string
  /** The AgentPolicy it ran: `retail`, `retail v3` when pinned to a stored version, `none`; null: the agent's own. */
  policy: string | null
  trials: number
  successes: number
  successRate: number | null
  passK: Record<string, number>
  wrongWrites: number
  violations: { caught: number; missed: number }
  escalations: { needed: number; needless: number; missed: number; precision: number | null; recall: number | null }
  groundingFailures: number
  costUsd: number
  tokens: { input: number; output: number }
  latencyMs: { p50: number | null; p95: number | null }
  /** Trials a lane could not play to the end. */
  unplayed: number
  /** τ²-bench tasks' natural-language assertions over the trials, apart from success: graded deterministically, or not. */
  nlAssertions: { passed: number; failed: number; ungraded: number }
  warnings: string[]
}

export interface ScenarioOutcome {
  trials: number
  successes: number
  passK: Record<string, number>
  failures: string[]
  transcript: Array<{ role: string; text: string }>
  calls: Array<{ tool: string; args: Record<string, unknown> }>
}

export interface ScenarioRow {
  id: string
  byConfig: Record<string, ScenarioOutcome>
  /** The configurations did not all do equally well. */
  differs: boolean
  /** The first message (index in the transcript of trial 0) where a configuration's transcript differs from the first's. */
  firstDifference: { index: number; texts: Record<string, string> } | null
}

export interface ArenaReport {
  run: { id: string; name: string; suite: string | null; status: string; trials: number; done: number; costUsd: number; createdAt: string }
  configurations: ConfigSummary[]
  scenarios: ScenarioRow[]
}

export function buildReport(run: ArenaRun, trials: ArenaTrial[]): ArenaReport {
  const done = trials.filter((t) => t.status === 'done' && t.result)
  const configs = [...new Set(trials.map((t) => t.config))]
  const scenarios = [...new Set(trials.map((t) => t.scenario))]
  return {
    run: {
      id: run.id, name: run.name, suite: run.suite, status: run.status, trials: trials.length, done: done.length,
      costUsd: round(done.reduce((s, t) => s + t.costUsd, 0), 6), createdAt: new Date(run.createdAt).toISOString(),
    },
    configurations: configs.map((c) => ({ ...summarize(c, done.filter((t) => t.config === c)), policy: policyOf(run.spec, c) })),
    scenarios: scenarios.map((id) => scenarioRow(id, configs, done.filter((t) => t.scenario === id))),
  }
}

/** What the report names as a configuration's policy, from the run's spec. */
function policyOf(spec: unknown, name: string): string | null {
  const c = (spec as { configurations?: ArenaConfiguration[] }).configurations?.find((x) => x.name === name)
  if (!c || c.policy === undefined) return null
  if (c.policy === null) return 'none'
  return c.pinnedPolicy ? `${c.pinnedPolicy.name} v${c.pinnedPolicy.version}` : c.policy
}

function summarize(name: string, trials: ArenaTrial[]): Omit<ConfigSummary, 'policy'> {
  const results = trials.map((t) => t.result as TrialResult)
  const count = (f: (r: TrialResult) => boolean) => results.filter(f).length
  const needed = count((r) => r.escalation === 'needed')
  const needless = count((r) => r.escalation === 'needless')
  const missed = count((r) => r.escalation === 'missed')
  const latencies = results.flatMap((r) => r.latencyMs).sort((a, b) => a - b)
  return {
    name,
    trials: trials.length,
    successes: count((r) => r.success),
    successRate: trials.length ? round(count((r) => r.success) / trials.length, 4) : null,
    passK: passHatKSeries(trials.map((t) => ({ taskId: t.scenario, success: t.success === true }))),
    wrongWrites: results.reduce((s, r) => s + r.wrongWrites.length, 0),
    violations: { caught: sum(results, (r) => r.violations.caught), missed: sum(results, (r) => r.violations.missed) },
    escalations: {
      needed, needless, missed,
      precision: needed + needless ? round(needed / (needed + needless), 4) : null,
      recall: needed + missed ? round(needed / (needed + missed), 4) : null,
    },
    groundingFailures: sum(results, (r) => r.groundingFailures),
    costUsd: round(sum(results, (r) => r.costUsd), 6),
    tokens: { input: sum(results, (r) => r.tokens.input), output: sum(results, (r) => r.tokens.output) },
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
    unplayed: count((r) => r.error !== undefined),
    nlAssertions: {
      passed: sum(results, (r) => r.nlAssertions?.graded.filter((a) => a.passed).length ?? 0),
      failed: sum(results, (r) => r.nlAssertions?.graded.filter((a) => !a.passed).length ?? 0),
      ungraded: sum(results, (r) => r.nlAssertions?.ungraded.length ?? 0),
    },
    warnings: [...new Set(results.flatMap((r) => r.warnings ?? []))].slice(0, 50),
  }
}

function scenarioRow(id: string, configs: string[], trials: ArenaTrial[]): ScenarioRow {
  const byConfig: Record<string, ScenarioOutcome> = {}
  for (const c of configs) {
    const mine = trials.filter((t) => t.config === c).sort((a, b) => a.trial - b.trial)
    const first = mine[0]?.result as TrialResult | undefined
    byConfig[c] = {
      trials: mine.length,
      successes: mine.filter((t) => t.success).length,
      passK: passHatKSeries(mine.map((t) => ({ taskId: id, success: t.success === true }))),
      failures: [...new Set(mine.flatMap((t) => (t.result as TrialResult).failures))].slice(0, 10),
      transcript: first?.transcript ?? [],
      calls: first?.calls ?? [],
    }
  }
  const rates = configs.map((c) => (byConfig[c]!.trials ? byConfig[c]!.successes / byConfig[c]!.trials : 0))
  return { id, byConfig, differs: rates.some((r) => r !== rates[0]), firstDifference: firstDifference(configs, byConfig) }
}

function firstDifference(configs: string[], byConfig: Record<string, ScenarioOutcome>): ScenarioRow['firstDifference'] {
  if (configs.length < 2) return null
  const transcripts = configs.map((c) => byConfig[c]!.transcript)
  const longest = Math.max(...transcripts.map((t) => t.length))
  for (let i = 0; i < longest; i++) {
    const texts = transcripts.map((t) => t[i]?.text ?? '')
    if (texts.some((t) => t !== texts[0])) return { index: i, texts: Object.fromEntries(configs.map((c, j) => [c, texts[j]!])) }
  }
  return null
}

const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0)
const round = (n: number, digits: number) => Number(n.toFixed(digits))

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!)
}
