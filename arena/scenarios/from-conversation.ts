// A recorded conversation becomes a regression scenario: the turns before the fork are its history, its
// customer's messages from the fork on script the simulated customer, and its recorded tool results answer
// the replay's tool calls in the sandbox.
import { AppError } from '../../lib/errors.ts'
import type { RecordedConversation } from '../../storage/index.ts'
import type { Assertions, RecordedScenario } from './scenario.ts'

export interface ForkOptions {
  /** How many of the customer's messages stay history; the replay starts with the next one. @defaultValue 0 */
  forkAt?: number
  title?: string
  assertions?: Assertions
}

export function recordedScenario(conversation: RecordedConversation, options: ForkOptions = {}): RecordedScenario {
  const forkAt = options.forkAt ?? 0
  const spoken = conversation.messages.filter((m) => m.role === 'customer' || m.role === 'assistant')
  const customerAt = spoken.flatMap((m, i) => (m.role === 'customer' ? [i] : []))
  if (forkAt < 0 || forkAt >= customerAt.length) {
    throw new AppError('request.invalid', `forkAt must leave a customer message to replay: the conversation has ${customerAt.length}`)
  }
  const cut = customerAt[forkAt]!
  return {
    kind: 'recorded',
    id: `conv-${conversation.id}${forkAt ? `-at-${forkAt}` : ''}`.slice(0, 128),
    ...(options.title ? { title: options.title } : {}),
    sourceConversationId: conversation.id,
    history: spoken.slice(0, cut).map((m) => ({ role: m.role as 'customer' | 'assistant', text: m.text })),
    customer: spoken.slice(cut).filter((m) => m.role === 'customer').map((m) => m.text),
    toolResponses: conversation.exchanges,
    assertions: options.assertions ?? {},
  }
}
