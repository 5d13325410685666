// Scenarios the Arena runs: τ²-bench graded tasks (the customer's scenario, gold actions, required outputs).

/**
 * The τ²-bench task format and its loader.
 * @example
 * const tasks = await loadRetailTasks() // data/retail/tasks-train.json, 74 tasks
 * const customer = scriptedCustomer(tasks[0]!, 1)
 */
export {
  RetailTask, GoldAction, UserInstructions, parseRetailTasks, loadRetailTasks, goldActions, requiredOutputs, DEFAULT_TASKS_PATH,
} from './retail-task.ts'

/** The scenarios a run holds: τ²-bench tasks, hand-written conversations with assertions, recorded conversations. */
export {
  ArenaScenario, TaskScenario, ScriptedScenario, RecordedScenario, RecordedToolResponse, Assertions, taskScenario,
} from './scenario.ts'
