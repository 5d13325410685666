// The customer played by a model: the scenario becomes its instructions, the agent's messages its user turns.
// It behaves like the scripted customer behind an asynchronous version of the same interface.
import type { Provider, ProviderMessage } from '../../providers/index.ts'
import type { RetailTask } from '../scenarios/index.ts'
import type { SimulatedCustomer } from './scripted-customer.ts'

/** The asynchronous customer the Arena runner talks to: scripted and model-driven customers both fit. */
export interface ConversingCustomer {
  opening(): Promise<string>
  /** Null when the customer ends the conversation. */
  reply(agentText: string): Promise<string | null>
  /** Tokens the customer's own model spent (zero for a scripted customer). */
  readonly usage: { inputTokens: number; outputTokens: number }
}

export interface ModelCustomerOptions {
  provider: Provider
  model: string
  /** @defaultValue 25 */
  maxTurns?: number
}

/** The word the model writes when it has nothing more to ask; transfers end the conversation too. */
export const END_MARKER = '###END###'
const AGENT_GREETING = 'Hi! How can I help you today?'

export function modelCustomer(task: RetailTask, seed: number, options: ModelCustomerOptions): ConversingCustomer {
  const system = instructionsFor(task, seed)
  const history: ProviderMessage[] = []
  const usage = { inputTokens: 0, outputTokens: 0 }
  let turns = 0
  const say = async (agentText: string): Promise<string | null> => {
    if (++turns > (options.maxTurns ?? 25)) return null
    history.push({ role: 'user', content: agentText })
    const res = await options.provider.complete({ model: options.model, system, messages: history, maxTokens: 300, temperature: 1 })
    usage.inputTokens += res.usage.inputTokens
    usage.outputTokens += res.usage.outputTokens
    history.push({ role: 'assistant', content: res.text })
    // A model that says goodbye and the marker in one message has ended the conversation all the same.
    return res.text.includes(END_MARKER) ? null : res.text.trim()
  }
  return {
    usage,
    opening: async () => (await say(AGENT_GREETING)) ?? 'Hello.',
    reply: say,
  }
}

/** The scripted customer behind the asynchronous interface. */
export function conversing(customer: SimulatedCustomer): ConversingCustomer {
  return {
    usage: { inputTokens: 0, outputTokens: 0 },
    opening: async () => customer.opening(),
    reply: async (text) => customer.reply(text),
  }
}

function instructionsFor(task: RetailTask, seed: number): string {
  const i = task.user_scenario.instructions
  return [
    'You are a customer writing to an online shop\'s support agent. Stay in that role; the agent is the other party.',
    'Write one short message at a time, as a person would. Give details only when the agent asks for them.',
    'Use only the facts below; if asked something they do not cover, say you do not know.',
    `When everything you came for is done or refused, or the agent transfers you to a human, reply with ${END_MARKER} alone.`,
    `Variation seed for this conversation: ${seed}.`,
    '',
    `Why you are writing: ${i.reason_for_call}`,
    `What you know: ${i.known_info ?? 'nothing else'}`,
    `What you do not know: ${i.unknown_info ?? 'nothing in particular'}`,
    `How you behave: ${i.task_instructions}`,
  ].join('\n')
}
