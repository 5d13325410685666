// Imports published τ-bench and τ²-bench result files so their pass^k can sit next to ours: a JSON array of
// runs (`task_id`, `trial`, `reward`, `info`, `traj`), or τ²-bench's `{ simulations: [...] }` whose runs
// carry the reward in `reward_info.reward`.
import { AppError } from '../../lib/errors.ts'
import { passHatKSeries, tallyByTask, type TrialOutcome } from '../scores/pass-k.ts'

/** τ-bench counts a run as passed only at full reward. */
const FULL_REWARD = 1 - 1e-6

export interface ImportedResults {
  tasks: number
  /** Trials per task (the fewest any task has, which is also the largest k). */
  trials: number
  runs: number
  [passK: `pass_${number}`]: number
}

export function importTauResults(json: unknown): ImportedResults {
  const runs = Array.isArray(json) ? json : isObject(json) && Array.isArray(json.simulations) ? json.simulations : undefined
  if (!runs) throw new AppError('request.invalid', 'expected a JSON array of runs, or an object with a "simulations" array')
  const outcomes = runs.map((run, i) => outcomeOf(run, i))
  const tally = [...tallyByTask(outcomes).values()]
  return {
    tasks: tally.length,
    trials: tally.length ? Math.min(...tally.map((t) => t.n)) : 0,
    runs: outcomes.length,
    ...passHatKSeries(outcomes),
  }
}

function outcomeOf(run: unknown, index: number): TrialOutcome {
  if (!isObject(run)) throw new AppError('request.invalid', `run ${index} is not an object`)
  const taskId = run.task_id
  const reward = typeof run.reward === 'number' ? run.reward : isObject(run.reward_info) ? run.reward_info.reward : undefined
  if (typeof taskId !== 'string' && typeof taskId !== 'number') throw new AppError('request.invalid', `run ${index} has no task_id`)
  if (typeof reward !== 'number' || !Number.isFinite(reward)) throw new AppError('request.invalid', `run ${index} (task ${taskId}) has no numeric reward`)
  return { taskId: String(taskId), success: reward >= FULL_REWARD }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
