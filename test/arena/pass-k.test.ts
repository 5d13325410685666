// pass^k against values computed by hand, and the import of a τ-bench / τ²-bench result file through the CLI.
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { choose, importTauResults, passHatK, passHatKSeries, type TrialOutcome } from '../../arena/index.ts'

/** Four tasks of four trials: all pass, none pass, two pass, three pass. */
const outcomes: TrialOutcome[] = [
  ...[1, 1, 1, 1].map((s) => ({ taskId: 'all', success: s === 1 })),
  ...[0, 0, 0, 0].map((s) => ({ taskId: 'none', success: s === 1 })),
  ...[1, 0, 1, 0].map((s) => ({ taskId: 'half', success: s === 1 })),
  ...[1, 1, 0, 1].map((s) => ({ taskId: 'most', success: s === 1 })),
]

describe('pass^k', () => {
  test('binomial coefficients', () => {
    expect([choose(4, 0), choose(4, 1), choose(4, 2), choose(4, 3), choose(4, 4), choose(2, 3)]).toEqual([1, 4, 6, 4, 1, 0])
  })

  test('matches hand-computed values, k = 1 … n', () => {
    // all: 1, 1, 1, 1 · none: 0, 0, 0, 0 · half: 2/4, C(2,2)/C(4,2) = 1/6, 0, 0 · most: 3/4, 3/6, 1/4, 0
    expect(passHatK(outcomes, 1)).toBeCloseTo((1 + 0 + 0.5 + 0.75) / 4, 12)
    expect(passHatK(outcomes, 2)).toBeCloseTo((1 + 0 + 1 / 6 + 0.5) / 4, 12)
    expect(passHatK(outcomes, 3)).toBeCloseTo((1 + 0 + 0 + 0.25) / 4, 12)
    expect(passHatK(outcomes, 4)).toBeCloseTo(0.25, 12)
  })

  test('a task with every trial passing scores 1 and one with none 0, for every k', () => {
    for (let k = 1; k <= 4; k++) {
      expect(passHatK(outcomes.filter((o) => o.taskId === 'all'), k)).toBe(1)
      expect(passHatK(outcomes.filter((o) => o.taskId === 'none'), k)).toBe(0)
    }
  })

  test('k above the trials of some task is refused; the series stops at the fewest trials', () => {
    const uneven = [...outcomes, { taskId: 'short', success: true }, { taskId: 'short', success: true }]
    expect(() => passHatK(uneven, 3)).toThrow(/needs 3 trials/)
    expect(Object.keys(passHatKSeries(uneven))).toEqual(['pass_1', 'pass_2'])
    expect(() => passHatK(outcomes, 0)).toThrow(RangeError)
  })
})

describe('import of published results', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arena-import-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const tauBench = outcomes.map((o, i) => ({
    task_id: ['all', 'none', 'half', 'most'].indexOf(o.taskId), trial: i % 4, reward: o.success ? 1.0 : 0.0, info: {}, traj: [],
  }))

  test('a τ-bench array of runs', () => {
    expect(importTauResults(tauBench)).toEqual({ tasks: 4, trials: 4, runs: 16, pass_1: 0.5625, pass_2: 0.4167, pass_3: 0.3125, pass_4: 0.25 })
  })

  test('τ²-bench simulations, where a partial reward is a failure', () => {
    const simulations = tauBench.map((r) => ({ task_id: String(r.task_id), trial: r.trial, reward_info: { reward: r.reward === 1 ? 1 : 0.5 } }))
    expect(importTauResults({ simulations })).toMatchObject({ tasks: 4, trials: 4, pass_1: 0.5625, pass_4: 0.25 })
  })

  test('bad files are refused with a reason', () => {
    expect(() => importTauResults({ runs: [] })).toThrow(/JSON array of runs/)
    expect(() => importTauResults([{ task_id: 1, trial: 0 }])).toThrow(/run 0 \(task 1\) has no numeric reward/)
  })

  test('`bun run arena -- import <file>` prints the scores as its last line', async () => {
    const file = join(dir, 'results.json')
    await Bun.write(file, JSON.stringify(tauBench))
    const proc = Bun.spawn([process.execPath, 'main.ts', 'arena', 'import', file], { cwd: join(import.meta.dir, '..', '..'), stdout: 'pipe', stderr: 'pipe' })
    const [out, code] = [await new Response(proc.stdout).text(), await proc.exited]
    expect(code).toBe(0)
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ tasks: 4, trials: 4, runs: 16, pass_1: 0.5625, pass_2: 0.4167, pass_3: 0.3125, pass_4: 0.25 })
    const bad = Bun.spawn([process.execPath, 'main.ts', 'arena', 'import', join(dir, 'missing.json')], { cwd: join(import.meta.dir, '..', '..'), stdout: 'pipe', stderr: 'pipe' })
    expect(await bad.exited).toBe(1)
    expect(await new Response(bad.stderr).text()).toContain('not_found')
  })
})
