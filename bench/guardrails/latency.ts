// Benchmark: the guardrail checks' latency per turn over the 503 replies of the retail dialogues: the input
// stage (injection, PII, sentiment, loop) and the topic check on the customer's message, the injection check
// on each new tool result, and the output stage (PII, grounding, brand voice, confidence) on the reply.
// The baseline is what a turn ran before these checks: one injection regular expression and a card-number
// scan on the message, the card scan on the reply (the previous judge(), reproduced below).
// Prints per-check and per-turn p50/p99 in ms, and the turn's CPU time (wall-clock tails on a shared
// 2-core machine are mostly other processes); the last line is JSON. Run: npm run bench:guardrail-checks
import { checkContextItem, checkInput, checkOutput, indexContext } from '../../policy/index.ts'
import { luhn } from '../../policy/guardrails/index.ts'
import { checkTopic } from '../../providers/index.ts'
import { percentile, progress, round } from '../support.ts'
import { loadGroundedReplies, type GroundedReply } from './corpora.ts'

const LEGACY_INJECTION = /\b(ignore|disregard|forget)\b.{0,40}\b(previous|prior|above|all)\b.{0,20}\b(instructions?|rules|prompts?)\b|\bsystem prompt\b|\byou are now\b/i
const LEGACY_CARD = /\b(?:\d[ -]?){13,19}\b/g
const legacyCard = (text: string) => [...text.matchAll(LEGACY_CARD)].some((m) => luhn(m[0].replace(/[ -]/g, '')))

const PASSES = Number(process.env.PASSES ?? 5)
const now = () => performance.now()

interface TurnTimes {
  input: number
  topic: number
  context: number
  output: number
  grounding: number
  cpu: number
  baseline: number
}

function runTurn(g: GroundedReply, newToolResults: string[]): TurnTimes {
  const cpu0 = process.cpuUsage()
  const t0 = now()
  const input = checkInput(g.customerMessage, { earlierMessages: g.customerMessages.slice(0, -1) })
  const t1 = now()
  const topic = checkTopic(g.customerMessage)
  const t2 = now()
  for (const tool of newToolResults) checkContextItem(tool, 'tool')
  const t3 = now()
  const signals = { intentConfidence: topic.intentConfidence, sentiment: input.sentiment.compound, loop: input.loop.score }
  const out = checkOutput(g.reply, { grounding: indexContext(g.context), signals }, { now })
  const t4 = now()
  const cpu = process.cpuUsage(cpu0)
  if (!legacyCard(g.customerMessage)) LEGACY_INJECTION.test(g.customerMessage)
  legacyCard(g.reply)
  const baseline = now() - t4
  return { baseline, input: t1 - t0, topic: t2 - t1, context: t3 - t2, output: t4 - t3, grounding: out.grounding.latencyMs ?? 0, cpu: (cpu.user + cpu.system) / 1000 }
}

function turns(): Array<[GroundedReply, string[]]> {
  const replies = loadGroundedReplies()
  return replies.map((g, i) => {
    const before = replies[i - 1]?.dialogue === g.dialogue ? (replies[i - 1]?.context.toolResults.length ?? 0) : 0
    return [g, g.context.toolResults.slice(before)]
  })
}

export interface StageFigures {
  turns: number
  figures: Record<string, { p50: number; p99: number }>
}

/** Every check of every dialogue turn, `passes` times after a warm-up; p50 and p99 per stage and per turn. */
export function measureStages(passes = PASSES): StageFigures {
  const all = turns()
  progress(`training the topic model and warming up on ${all.length} turns…`)
  for (const [g, tools] of all) runTurn(g, tools)
  const samples: TurnTimes[] = []
  for (let pass = 0; pass < passes; pass++) for (const [g, tools] of all) samples.push(runTurn(g, tools))
  const stat = (pick: (t: TurnTimes) => number) => {
    const sorted = samples.map(pick).sort((a, b) => a - b)
    return { p50: round(percentile(sorted, 50), 3), p99: round(percentile(sorted, 99), 3) }
  }
  const figures = {
    input: stat((t) => t.input), topic: stat((t) => t.topic), tool_results: stat((t) => t.context),
    output: stat((t) => t.output), grounding: stat((t) => t.grounding), total: stat((t) => t.input + t.topic + t.context + t.output),
    cpu: stat((t) => t.cpu), baseline_legacy: stat((t) => t.baseline),
  }
  for (const [name, f] of Object.entries(figures)) progress(`${name.padEnd(12)} p50 ${f.p50} ms  p99 ${f.p99} ms`)
  return { turns: samples.length, figures }
}

if (import.meta.main) {
  const { turns: n, figures: f } = measureStages()
  console.log(JSON.stringify({ bench: 'guardrail-checks', turns: n, input_p50_ms: f.input!.p50, topic_p50_ms: f.topic!.p50, tool_results_p50_ms: f.tool_results!.p50, output_p50_ms: f.output!.p50, total_p50_ms: f.total!.p50, total_p99_ms: f.total!.p99, cpu_p50_ms: f.cpu!.p50, cpu_p99_ms: f.cpu!.p99, baseline_legacy_p50_ms: f.baseline_legacy!.p50, baseline_legacy_p99_ms: f.baseline_legacy!.p99 }))
}
