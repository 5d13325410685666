// bench:demo-agent — the demo agent on τ²-bench retail's 74 training tasks with the arena's scripted customer:
// pass^1, pass^4, wrong writes, escalations and the breakdown by action, graded by the database each run
// leaves behind against the gold actions replayed from the same seed. Failure transcripts go to a file.
// Run: flock /tmp/switchboard-heavy.lock npm run bench:demo-agent -- [--loop model|platform] [--trials 4] [--tasks 0,3,7] [--out file]
import { loadRetailTasks, type RetailTask } from '../arena/index.ts'
import { createLocalProvider } from '../providers/index.ts'
import { createRetailFixture, type RetailFixture } from '../test/tools/support/retail-fixture.ts'
import { fingerprint, sameState, wrongWrites, type Action } from './demo-agent/grading.ts'
import { runModelLoop } from './demo-agent/model-loop.ts'
import { figures, writeFailures, type TrialResult } from './demo-agent/report.ts'
import { databaseUrl, progress } from './support.ts'

process.env.DATABASE_URL ??= databaseUrl()

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback
}

const trials = Number(option('trials', '4'))
const only = option('tasks', '').split(',').filter((s) => s !== '')
const out = option('out', '/tmp/demo-agent-failures.md')
const loop = option('loop', 'model')

async function goldState(fx: RetailFixture, task: RetailTask): Promise<Record<string, string>> {
  await fx.reset()
  for (const [i, a] of (task.evaluation_criteria?.actions ?? []).entries()) {
    await fx.executor.executeTool({ tool: a.name, args: a.arguments, idempotencyKey: `gold-${task.id}-${i}` })
  }
  return fingerprint(fx.sql)
}

async function main(): Promise<void> {
  if (loop !== 'model') throw new Error(`--loop ${loop}: only the model loop is implemented in this script`)
  const tasks = (await loadRetailTasks()).filter((t) => only.length === 0 || only.includes(t.id))
  const fx = await createRetailFixture()
  const local = createLocalProvider()
  const results: TrialResult[] = []
  const started = performance.now()
  try {
    for (const task of tasks) {
      const expected = await goldState(fx, task)
      const gold = (task.evaluation_criteria?.actions ?? []) as Action[]
      for (let seed = 0; seed < trials; seed++) {
        await fx.reset()
        const run = await runModelLoop(fx, task, seed, local)
        const wrong = wrongWrites(run.writes, gold)
        const passed = sameState(await fingerprint(fx.sql), expected) && wrong.length === 0
        results.push({ taskId: task.id, seed, passed, gold, writes: run.writes, wrong, messages: run.messages, ...(run.escalated ? { escalated: run.escalated } : {}) })
      }
      progress(`task ${task.id}: ${results.filter((r) => r.taskId === task.id && r.passed).length}/${trials}`)
    }
  } finally {
    await fx.close()
  }
  writeFailures(out, results)
  console.log(JSON.stringify({ bench: 'demo-agent', loop, ...figures(results, trials), seconds: Math.round((performance.now() - started) / 1000), failures: out }, null, 2))
}

await main()
