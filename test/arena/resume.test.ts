// A run killed with SIGKILL mid-way resumes where it stopped: trials finished before the kill are never run
// again, the one in flight is played again from a reset sandbox, and every trial ends finished exactly once.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadRetailTasks, runTrials, taskScenario } from '../../arena/index.ts'
import { startLanes } from '../../platform-arena-cli.ts'
import { waitFor } from '../support/wait.ts'
import { startArenaBed, type ArenaBed } from './support.ts'

let bed: ArenaBed
const dir = mkdtempSync(join(tmpdir(), 'arena-resume-'))
beforeAll(async () => {
  bed = await startArenaBed()
})
afterAll(async () => {
  await bed.close()
  rmSync(dir, { recursive: true, force: true })
}, 30_000)

test('resumption after kill -9 mid-run runs no finished trial twice', async () => {
  const tasks = (await loadRetailTasks()).slice(0, 8)
  const specPath = join(dir, 'spec.json')
  await Bun.write(specPath, JSON.stringify({ name: 'killed', configurations: [{ name: 'demo' }], scenarios: tasks.map(taskScenario), trials: 2 }))
  const runId = `killed_${crypto.randomUUID().slice(0, 8)}`
  const child = Bun.spawn([process.execPath, 'main.ts', 'arena', 'run', specPath, '--lanes', '1', '--id', runId], {
    cwd: join(import.meta.dir, '..', '..'), stdout: 'ignore', stderr: 'ignore',
    env: { ...process.env, DATABASE_URL: bed.db.url, DATABASE_SCHEMA: bed.db.schema, REDIS_URL: process.env.REDIS_URL! },
  })
  // Kill it once a few trials are finished and another is in flight.
  await waitFor(async () => {
    const trials = await bed.runs.trials(runId).catch(() => [])
    return trials.filter((t) => t.status === 'done').length >= 3 && trials.some((t) => t.status === 'running')
  }, 60_000, 'three finished trials and one in flight')
  child.kill('SIGKILL')
  await child.exited
  const atKill = await bed.runs.trials(runId)
  const finished = atKill.filter((t) => t.status === 'done')
  const inFlight = atKill.filter((t) => t.status === 'running')
  expect(finished.length).toBeGreaterThanOrEqual(3)
  expect(finished.length).toBeLessThan(16)

  const lanes = await startLanes(1, runId, bed.env)
  try {
    expect(await runTrials(runId, { runs: bed.runs, lanes, worker: 'resumer', resume: true })).toBe('done')
  } finally {
    await Promise.all(lanes.map((l) => l.close()))
  }
  const after = await bed.runs.trials(runId)
  expect(after).toHaveLength(16)
  expect(after.every((t) => t.status === 'done' && t.result !== null)).toBe(true)
  for (const before of finished) {
    const now = after.find((t) => t.scenario === before.scenario && t.trial === before.trial)!
    // Untouched: the same conversation, finished at the same moment, started once.
    expect({ attempts: now.attempts, conversationId: now.conversationId, finishedAt: now.finishedAt }).toEqual({
      attempts: 1, conversationId: before.conversationId, finishedAt: before.finishedAt,
    })
  }
  for (const t of after) {
    const wasInFlight = inFlight.some((i) => i.scenario === t.scenario && i.trial === t.trial)
    expect(t.attempts).toBe(wasInFlight ? 2 : 1)
  }
  expect(new Set(after.map((t) => t.conversationId)).size).toBe(16)
}, 120_000)
