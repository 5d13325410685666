// The simulated customer of Arena runs: scripted from the task's user scenario (offline, seeded) or played
// by a model behind the same conversation.

/**
 * A scripted customer for a τ²-bench task: identity first or request first, several requests in one message
 * or one at a time, the odd counter-question and varied phrasing, all fixed by the seed.
 * @example
 * const customer = scriptedCustomer(task, 3)
 * let text: string | null = customer.opening()
 * while (text !== null) text = customer.reply(await agentAnswers(text))
 */
export { scriptedCustomer, MAX_CUSTOMER_TURNS, type SimulatedCustomer } from './scripted-customer.ts'

/** The customer of a hand-written or recorded scenario: its messages in order. */
export { listCustomer } from './list-customer.ts'

/**
 * A customer played by a model through a `Provider`, and the scripted customer behind the same asynchronous
 * interface (`conversing`).
 */
export { modelCustomer, conversing, END_MARKER, type ConversingCustomer, type ModelCustomerOptions } from './model-customer.ts'

/** What the customer reads in an agent's message (exposed for tests and for the demo agent's own checks). */
export { readAgent, type AgentReading } from './agent-reading.ts'
export { readPersona, type Persona } from './persona.ts'
export { readScenario, type ScenarioScript, type Rule, type Trigger } from './scenario-script.ts'
