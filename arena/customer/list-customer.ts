// The customer of a hand-written or recorded scenario: its messages in order, whatever the agent answers.
import type { SimulatedCustomer } from './scripted-customer.ts'

export function listCustomer(messages: readonly string[]): SimulatedCustomer {
  let next = 1
  return {
    opening: () => messages[0] ?? '',
    reply: () => (next < messages.length ? messages[next++]! : null),
  }
}
