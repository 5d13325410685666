// bench:arena: τ²-bench's 74 retail training tasks × 4 trials against the demo agent (the offline `local` model),
// played by the scripted customer through lanes of real platforms and graded by the sandbox's final state.
// Baseline in the same run: the same matrix against the echo model, which answers instantly and never acts,
// so the difference is what the agent itself costs over the Arena's own overhead.
// Usage: bun bench/arena.ts [trials] [lanes]
import { buildReport, createRun, loadRetailTasks, progressBar, runTrials, taskScenario, type ArenaReport, type TrialResult } from '../arena/index.ts'
import { startLanes } from '../platform-arena-cli.ts'
import { createArenaRuns } from '../storage/index.ts'
import { createBenchEnv, databaseUrl, progress, redisUrl, round } from './support.ts'

const TRIALS = Number(process.argv[2] ?? 4)
const LANES = Number(process.argv[3] ?? 2)

async function measure(name: string, provider: 'local' | 'echo'): Promise<{ report: ArenaReport; results: TrialResult[]; wallS: number }> {
  const env = await createBenchEnv(`arena_${name}`)
  const runs = createArenaRuns(env.sql)
  const tasks = await loadRetailTasks()
  const runId = `bench_${name}_${env.schema.slice(-6)}`
  await createRun(runs, { id: runId, tenantId: 'bench', spec: { name, configurations: [{ name: 'demo' }], scenarios: tasks.map(taskScenario), trials: TRIALS } })
  const lanes = await startLanes(LANES, runId, { REDIS_URL: redisUrl(), DATABASE_URL: databaseUrl(), AGENT_PROVIDER: provider })
  const started = performance.now()
  try {
    await runTrials(runId, { runs, lanes, worker: 'bench', onProgress: progressBar((t) => process.stderr.write(t), process.stderr.isTTY === true) })
  } finally {
    await Promise.all(lanes.map((l) => l.close()))
  }
  const wallS = (performance.now() - started) / 1000
  const trials = await runs.trials(runId)
  const report = buildReport((await runs.get(runId))!, trials)
  await env.cleanup()
  return { report, results: trials.map((t) => t.result as TrialResult), wallS }
}

async function main(): Promise<void> {
  progress(`arena: 74 tasks × ${TRIALS} trials, ${LANES} lanes`)
  const baseline = await measure('echo', 'echo')
  progress(`  baseline (echo model): ${round(baseline.results.length / baseline.wallS, 2)} runs/s in ${round(baseline.wallS, 1)} s`)
  const demo = await measure('demo', 'local')
  const summary = demo.report.configurations[0]!
  const unplayed = demo.results.filter((r) => r.error !== undefined).length
  progress(`  demo agent: ${summary.successes}/${summary.trials} passed, ${unplayed} not played, ${round(demo.wallS, 1)} s`)
  console.log(JSON.stringify({
    bench: 'arena', tasks: demo.report.scenarios.length, trials: TRIALS,
    pass_1: summary.passK.pass_1 ?? null, [`pass_${TRIALS}`]: summary.passK[`pass_${TRIALS}`] ?? null,
    wrong_writes: demo.results.filter((r) => r.wrongWrites.length > 0).length,
    escalated: demo.results.filter((r) => r.escalated).length,
    runs_per_s: round(demo.results.length / demo.wallS, 2), wall_s: round(demo.wallS, 1),
    baseline_echo_runs_per_s: round(baseline.results.length / baseline.wallS, 2), baseline_echo_wall_s: round(baseline.wallS, 1),
    turns_per_run: round(demo.results.reduce((s, r) => s + r.turns, 0) / demo.results.length, 2),
    unplayed, latency_p50_ms: summary.latencyMs.p50,
  }))
  process.exit(0)
}

await main()
