// pass^k: the chance that k trials of the same task all succeed, estimated without bias from n ≥ k trials
// with c successes as C(c,k)/C(n,k) (τ-bench), averaged over tasks. Pure arithmetic, no I/O.

export interface TrialOutcome {
  taskId: string
  success: boolean
}

/** Binomial coefficient C(n, k) as a float; exact for the small n of trial counts. */
export function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0
  let result = 1
  for (let i = 1; i <= Math.min(k, n - k); i++) result = (result * (n - i + 1)) / i
  return result
}

/** Trials and successes per task, in first-seen order. */
export function tallyByTask(outcomes: Iterable<TrialOutcome>): Map<string, { n: number; c: number }> {
  const tally = new Map<string, { n: number; c: number }>()
  for (const o of outcomes) {
    const t = tally.get(o.taskId) ?? { n: 0, c: 0 }
    t.n++
    if (o.success) t.c++
    tally.set(o.taskId, t)
  }
  return tally
}

/**
 * pass^k averaged over the tasks. Every task must have at least k trials: a task with fewer cannot say
 * whether k in a row would pass, and leaving it out would flatter the score.
 */
export function passHatK(outcomes: Iterable<TrialOutcome>, k: number): number {
  const tally = [...tallyByTask(outcomes).values()]
  if (tally.length === 0) return NaN
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, not ${k}`)
  const short = tally.find((t) => t.n < k)
  if (short) throw new RangeError(`pass^${k} needs ${k} trials of every task; one has ${short.n}`)
  return tally.reduce((sum, t) => sum + choose(t.c, k) / choose(t.n, k), 0) / tally.length
}

/** The largest k every task supports: the fewest trials any task has. */
export const maxK = (outcomes: Iterable<TrialOutcome>): number =>
  Math.min(...[...tallyByTask(outcomes).values()].map((t) => t.n))

/** `{ pass_1, pass_2, … }` up to the largest k the outcomes support, rounded to 4 places. */
export function passHatKSeries(outcomes: TrialOutcome[]): Record<`pass_${number}`, number> {
  const series: Record<`pass_${number}`, number> = {}
  if (outcomes.length === 0) return series
  for (let k = 1; k <= maxK(outcomes); k++) series[`pass_${k}`] = Number(passHatK(outcomes, k).toFixed(4))
  return series
}
