// `bun run arena -- <command>`: import published τ-bench / τ²-bench results, run a matrix, resume a killed
// run, print a report. Each command's last stdout line is one JSON object; progress goes to stderr.
// Part of the composition root: it may import every layer.
import {
  buildReport, createRun, importTauResults, newRunId, parseRunSpec, progressBar, reportCsv, reportJunit, runTrials, storedPolicyVersions, type ArenaLane, type ArenaReport,
} from './arena/index.ts'
import { loadConfig } from './lib/config.ts'
import { AppError } from './lib/errors.ts'
import { modelCustomers, startArenaLane } from './platform-arena.ts'
import { createSql, migrate, createArenaRuns, createResources, type ArenaRuns, type Resources } from './storage/index.ts'

type Env = Record<string, string | undefined>

const USAGE = `usage: bun run arena -- import <results.json>
       bun run arena -- run <spec.json> [--lanes N] [--id RUN] [--tenant T]
       bun run arena -- resume <run-id> [--lanes N]
       bun run arena -- report <run-id> [--format json|csv|junit]`

/** Runs one command; returns the process exit code. */
export async function runArenaCli(args: string[], env: Env): Promise<number> {
  const [command, target] = args
  try {
    if (command === 'import' && target) {
      console.log(JSON.stringify(importTauResults(await readJson(target))))
      return 0
    }
    if ((command === 'run' || command === 'resume' || command === 'report') && target) return await withRuns(env, (stores) => runCommand(command, target, args, stores, env))
  } catch (e) {
    console.error(e instanceof AppError ? `${e.code}: ${e.message}` : e)
    return 1
  }
  console.error(USAGE)
  return 2
}

async function runCommand(command: 'run' | 'resume' | 'report', target: string, args: string[], { runs, resources }: Stores, env: Env): Promise<number> {
  if (command === 'report') {
    const report = await reportOf(runs, target)
    const format = flag(args, '--format') ?? 'json'
    console.log(format === 'csv' ? reportCsv(report) : format === 'junit' ? reportJunit(report) : JSON.stringify(report))
    return 0
  }
  const runId = command === 'run' ? flag(args, '--id') ?? newRunId() : target
  if (command === 'run') {
    const tenantId = flag(args, '--tenant') ?? 'default'
    await createRun(runs, { id: runId, tenantId, spec: await readJson(target), policies: storedPolicyVersions(resources, tenantId) })
  }
  process.stderr.write(`arena run ${runId}\n`)
  const run = await runs.get(runId)
  if (!run) throw new AppError('not_found', `no arena run ${runId}`)
  const customerFor = modelCustomers(parseRunSpec(run.spec), env)
  const lanes = await startLanes(Number(flag(args, '--lanes') ?? 2), runId, env)
  try {
    await runTrials(runId, {
      runs, lanes, worker: `cli-${process.pid}`, resume: command === 'resume', ...(customerFor ? { customerFor } : {}),
      onProgress: progressBar((t) => process.stderr.write(t), process.stderr.isTTY === true),
    })
  } finally {
    await Promise.all(lanes.map((l) => l.close()))
  }
  const report = await reportOf(runs, runId)
  console.log(JSON.stringify({ run: report.run, configurations: report.configurations.map(({ warnings: _w, ...c }) => c) }))
  return 0
}

/** Lanes named after the run, so a resumed run's lanes replace the ones a killed process left behind. */
export async function startLanes(count: number, runId: string, env: Env): Promise<ArenaLane[]> {
  if (!Number.isInteger(count) || count < 1 || count > 16) throw new AppError('request.invalid', '--lanes must be between 1 and 16')
  return Promise.all(Array.from({ length: count }, (_, i) => startArenaLane({ name: `${runId.slice(-12)}_${i}`, env })))
}

async function reportOf(runs: ArenaRuns, runId: string): Promise<ArenaReport> {
  const run = await runs.get(runId)
  if (!run) throw new AppError('not_found', `no arena run ${runId}`)
  return buildReport(run, await runs.trials(runId))
}

/** The run store, and the resource store pinned policy versions are read from. */
interface Stores {
  runs: ArenaRuns
  resources: Resources
}

async function withRuns<T>(env: Env, f: (stores: Stores) => Promise<T>): Promise<T> {
  const { postgres } = loadConfig(env)
  const sql = createSql({ ...postgres, maxConnections: 4 })
  try {
    await migrate(sql, postgres.schema)
    return await f({ runs: createArenaRuns(sql), resources: createResources(sql) })
  } finally {
    await sql.end()
  }
}

async function readJson(path: string): Promise<unknown> {
  const file = Bun.file(path)
  if (!(await file.exists())) throw new AppError('not_found', `no file ${path}`)
  try {
    return JSON.parse(await file.text())
  } catch {
    throw new AppError('request.malformed_json', `${path} is not valid JSON`)
  }
}

const flag = (args: string[], name: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
