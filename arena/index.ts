// Arena: scenarios replayed through configurations side by side, graded, with pass^k, before autonomy goes up.

/**
 * The τ²-bench task format and loader.
 * @example
 * const tasks = await loadRetailTasks()
 */
export {
  RetailTask, GoldAction, parseRetailTasks, loadRetailTasks, goldActions, requiredOutputs, DEFAULT_TASKS_PATH,
} from './scenarios/index.ts'

/**
 * The simulated customer: scripted (offline, seeded) or model-driven.
 * @example
 * const customer = scriptedCustomer(tasks[0]!, 1)
 */
export {
  scriptedCustomer, modelCustomer, conversing, MAX_CUSTOMER_TURNS, END_MARKER,
  type SimulatedCustomer, type ConversingCustomer, type ModelCustomerOptions,
} from './customer/index.ts'
