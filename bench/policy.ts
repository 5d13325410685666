// bench:policy: the AgentPolicy on the tool path. (1) Decisions: the retail demo policy deciding the 74 training
// tasks' tool calls with their lookups, one at a time, in process. (2) The runtime with enforcement on and off: the
// same retail conversations (authenticate, look the order up, answer) through a platform running the offline model,
// once under the policy and once without it, alternating runs so both meet the same machine.
// Usage: bun bench/policy.ts [conversations per run]
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { compileAgentPolicy, type AgentPolicySpec, type CallFacts } from '../policy/index.ts'
import { parseResourceDocuments } from '../resources/index.ts'
import { RETAIL_TOOLS, type RetailDb } from '../tools/index.ts'
import { percentile, progress, round } from './support.ts'
import { overrideResource, retailCustomers, retailTurnsPerSecond, type RetailCustomer } from './retail-turns.ts'

const CONVERSATIONS = Number(process.argv[2] ?? 120)
const ROOT = join(import.meta.dir, '..')
const db = JSON.parse(readFileSync(join(ROOT, 'data', 'retail', 'db.json'), 'utf8')) as RetailDb
const tasks = JSON.parse(readFileSync(join(ROOT, 'data', 'retail', 'tasks-train.json'), 'utf8')) as Array<{ evaluation_criteria: { actions: Array<{ name: string; arguments: Record<string, unknown> }> } | null }>
const spec = parseResourceDocuments(readFileSync(join(ROOT, 'demo', 'resources', 'demo-policy.yaml'), 'utf8'))[0]!.spec as AgentPolicySpec
const types = new Map(RETAIL_TOOLS.map((t) => [t.name, t.type]))

/** The facts a call is decided on, with its lookups answered from db.json as the tools would. */
function facts(name: string, args: Record<string, unknown>): CallFacts {
  const order = typeof args.order_id === 'string' ? (db.orders[args.order_id] as { user_id: string } | undefined) : undefined
  const subject = order?.user_id ?? (args.user_id as string | undefined)
  const lookups = { order, user: subject ? db.users[subject] : undefined }
  return { tool: name, type: types.get(name) ?? 'GENERIC', args, maturity: 'execute', subject, lookups, confirmed: true, approved: false }
}

function decisions(): { perS: number; p50: number; p99: number; count: number } {
  const policy = compileAgentPolicy('retail', spec)
  const calls = tasks.flatMap((t) => t.evaluation_criteria?.actions ?? []).map((a) => facts(a.name, a.arguments))
  for (const c of calls) policy.decide(c) // warm-up: the first calls pay for JIT compilation
  const times: number[] = []
  const started = performance.now()
  for (let round = 0; round < 200; round++) {
    for (const c of calls) {
      const t = performance.now()
      policy.decide(c)
      times.push(performance.now() - t)
    }
  }
  const elapsed = (performance.now() - started) / 1000
  times.sort((a, b) => a - b)
  return { perS: times.length / elapsed, p50: percentile(times, 50), p99: percentile(times, 99), count: times.length }
}

/** The demo agent with its policy, or the same agent with none. */
function turnsPerSecond(withPolicy: boolean, people: RetailCustomer[]): Promise<number> {
  return retailTurnsPerSecond(`policy ${withPolicy ? 'on' : 'off'}`, people, (platform) => overrideResource(platform, 'Agent', 'demo', (spec) => {
    if (withPolicy) return spec
    const { policy: _policy, ...plain } = spec
    return plain
  }))
}

async function main(): Promise<void> {
  const d = decisions()
  progress(`decisions: ${d.count} in process, p50 ${d.p50.toFixed(4)} ms, p99 ${d.p99.toFixed(4)} ms, ${Math.round(d.perS)}/s`)
  const people = retailCustomers(CONVERSATIONS)
  const on: number[] = []
  const off: number[] = []
  for (let run = 0; run < 2; run++) {
    off.push(await turnsPerSecond(false, people))
    on.push(await turnsPerSecond(true, people))
  }
  const best = (xs: number[]) => Math.max(...xs)
  console.log(JSON.stringify({
    bench: 'policy', decisions_per_s: Math.round(d.perS), decision_p50_ms: round(d.p50, 4), decision_p99_ms: round(d.p99, 4),
    turns_per_s_on: round(best(on), 1), turns_per_s_off: round(best(off), 1), ratio: round(best(on) / best(off), 3),
  }))
  process.exit(0)
}

await main()
