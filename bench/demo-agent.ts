// bench:demo-agent — the demo agent on τ²-bench retail's 74 training tasks with the arena's scripted customer:
// pass^1, pass^4, wrong writes, escalations and pass^1 by action, graded as the arena grades (the sandbox's
// final state against the gold actions replayed from the same seed). Failure transcripts go to a file.
//   --loop platform (default): through lanes of real platforms (API, queues, workers, the AgentPolicy), the arena's runner
//   --loop model: the local provider in process over the real tools, seconds for the whole set (the quick loop)
// Run: flock /tmp/switchboard-heavy.lock npm run bench:demo-agent -- [--loop platform|model] [--trials 4] [--lanes 2] [--tasks 0,3] [--out file]
import { createRun, loadRetailTasks, runTrials, taskScenario, type RetailTask, type TrialResult } from '../arena/index.ts'
import { startLanes } from '../platform-arena-cli.ts'
import { createLocalProvider, type ProviderMessage } from '../providers/index.ts'
import { createArenaRuns, createRetailSandbox } from '../storage/index.ts'
import { createToolExecutor, createToolRegistry, RETAIL_TOOLS, seedRetail } from '../tools/index.ts'
import { goldDigestOf, runModelTrial } from './demo-agent/model-loop.ts'
import { figures, writeFailures, type Trial } from './demo-agent/report.ts'
import { createBenchEnv, databaseUrl, progress, redisUrl } from './support.ts'

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback
}

const trials = Number(option('trials', '4'))
const lanes = Number(option('lanes', '2'))
const only = option('tasks', '').split(',').filter((s) => s !== '')
const out = option('out', '/tmp/demo-agent-failures.md')
const loop = option('loop', 'platform')

function messageLines(messages: ProviderMessage[]): string[] {
  return messages.map((m) => {
    if (m.role === 'tool') return `    [${m.name}] ${m.content.slice(0, 240)}`
    if (m.role === 'assistant' && m.toolCalls?.length) return `  agent → ${m.toolCalls.map((c) => `${c.name}(${JSON.stringify(c.arguments)})`).join(', ')}`
    return `  ${m.role === 'user' ? 'customer' : 'agent'}: ${m.content}`
  })
}

async function modelLoop(tasks: RetailTask[]): Promise<Trial[]> {
  const env = await createBenchEnv('demo_agent')
  await seedRetail(env.sql)
  const sandbox = await createRetailSandbox(env.sql, env.schema)
  const executor = createToolExecutor({ registry: createToolRegistry([...RETAIL_TOOLS]), sql: env.sql })
  const local = createLocalProvider()
  const done: Trial[] = []
  try {
    for (const task of tasks) {
      const gold = await goldDigestOf(sandbox, executor, task)
      for (let seed = 0; seed < trials; seed++) {
        const { result, messages, escalation } = await runModelTrial(sandbox, executor, task, seed, gold, local)
        done.push({ taskId: task.id, seed, gold: task.evaluation_criteria?.actions ?? [], result, lines: messageLines(messages), ...(escalation ? { escalation } : {}) })
      }
    }
  } finally {
    await sandbox.close()
    await env.cleanup()
  }
  return done
}

async function platformLoop(tasks: RetailTask[]): Promise<Trial[]> {
  const env = await createBenchEnv('demo_agent_runs')
  const runs = createArenaRuns(env.sql)
  const runId = `demo_agent_${env.schema.slice(-6)}`
  await createRun(runs, { id: runId, tenantId: 'bench', spec: { name: 'demo-agent', configurations: [{ name: 'demo' }], scenarios: tasks.map(taskScenario), trials } })
  const started = await startLanes(lanes, runId, { REDIS_URL: redisUrl(), DATABASE_URL: databaseUrl(), AGENT_PROVIDER: 'local' })
  try {
    await runTrials(runId, { runs, lanes: started, worker: 'bench-demo-agent', onProgress: (p) => progress(`  ${p.done}/${p.total}`) })
  } finally {
    await Promise.all(started.map((l) => l.close()))
  }
  const byId = new Map(tasks.map((t) => [taskScenario(t).id, t]))
  const played = (await runs.trials(runId)).map((t): Trial => {
    const result = t.result as TrialResult
    const lines = [
      ...result.transcript.map((m) => `  ${m.role === 'customer' ? 'customer' : 'agent'}: ${m.text}`),
      `  tools asked for: ${result.calls.map((c) => `${c.tool}(${JSON.stringify(c.args)})`).join(', ')}`,
    ]
    const task = byId.get(t.scenario)
    return { taskId: task?.id ?? t.scenario, seed: t.trial, gold: task?.evaluation_criteria?.actions ?? [], result, lines, ...(result.handoff ? { escalation: result.handoff } : {}) }
  })
  await env.cleanup()
  return played
}

async function main(): Promise<void> {
  const tasks = (await loadRetailTasks()).filter((t) => only.length === 0 || only.includes(t.id))
  progress(`demo-agent: ${tasks.length} tasks × ${trials} trials, ${loop} loop`)
  const started = performance.now()
  const played = loop === 'model' ? await modelLoop(tasks) : await platformLoop(tasks)
  writeFailures(out, played)
  console.log(JSON.stringify({ bench: 'demo-agent', loop, ...figures(played, trials), wall_s: Math.round((performance.now() - started) / 1000), failures: out }))
  process.exit(0)
}

await main()
