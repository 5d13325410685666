// The τ²-bench task format (retail domain): who the customer is, what they want, and how a run is graded.
// Parsed with TypeBox so a malformed task file fails at load with its paths, never mid-run.
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { AppError } from '../../lib/errors.ts'

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])

export const GoldAction = Type.Object({
  action_id: Type.Optional(Type.String()),
  name: Type.String(),
  arguments: Type.Record(Type.String(), Type.Unknown()),
  info: Type.Optional(Type.Unknown()),
})
export type GoldAction = Static<typeof GoldAction>

export const UserInstructions = Type.Object({
  task_instructions: Type.String(),
  domain: Type.String(),
  reason_for_call: Type.String(),
  known_info: Nullable(Type.String()),
  unknown_info: Nullable(Type.String()),
})
export type UserInstructions = Static<typeof UserInstructions>

export const RetailTask = Type.Object({
  id: Type.String(),
  description: Type.Optional(Type.Unknown()),
  user_scenario: Type.Object({
    persona: Type.Optional(Nullable(Type.String())),
    instructions: UserInstructions,
  }),
  initial_state: Type.Optional(Type.Unknown()),
  evaluation_criteria: Type.Union([
    Type.Object({
      actions: Type.Array(GoldAction),
      /** Strings the agent must state somewhere in its replies (τ²: `communicate_info`). */
      communicate_info: Type.Optional(Type.Array(Type.String())),
      nl_assertions: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()])),
      reward_basis: Type.Optional(Type.Array(Type.String())),
    }),
    Type.Null(),
  ]),
})
export type RetailTask = Static<typeof RetailTask>

/** Parses a τ²-bench task list (a JSON array); throws `request.invalid` naming the first bad paths. */
export function parseRetailTasks(json: unknown): RetailTask[] {
  const list = Type.Array(RetailTask)
  if (!Value.Check(list, json)) {
    const errors = [...Value.Errors(list, json)].slice(0, 5).map((e) => `${e.path}: ${e.message}`)
    throw new AppError('request.invalid', `not a τ²-bench task list: ${errors.join('; ')}`)
  }
  return json
}

/** Loads a task file (by default the shipped retail training split). */
export async function loadRetailTasks(path = DEFAULT_TASKS_PATH): Promise<RetailTask[]> {
  return parseRetailTasks(await Bun.file(path).json())
}

export const DEFAULT_TASKS_PATH = new URL('../../data/retail/tasks-train.json', import.meta.url).pathname

/** The gold actions of a task (none for a task without evaluation criteria). */
export const goldActions = (task: RetailTask): GoldAction[] => task.evaluation_criteria?.actions ?? []

/** What the agent must state for the task to pass. */
export const requiredOutputs = (task: RetailTask): string[] => task.evaluation_criteria?.communicate_info ?? []
