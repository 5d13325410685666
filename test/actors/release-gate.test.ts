// The streaming release gate on its own: words that cannot be part of a claim go out at once, a sentence with a
// claim goes out when it is complete and supported, and the first one that fails stops the stream for good.
import { expect, test } from 'bun:test'
import { createReleaseGate, sentenceCheck } from '../../actors/provider/release-gate.ts'
import type { ChatTurn } from '../../actors/protocol.ts'

const history: ChatTurn[] = [
  { role: 'customer', text: 'Where is order #W2378156?' },
  { role: 'tool', toolCallId: 'c1', name: 'get_order_details', text: JSON.stringify({ order_id: '#W2378156', status: 'delivered', payment_history: [{ amount: 46.66 }] }) },
]

/** What the customer has seen after each delta. */
function stream(deltas: string[], allowed = sentenceCheck(history, [], true)): string[] {
  let seen = ''
  const gate = createReleaseGate(allowed, (d) => (seen += d))
  return deltas.map((d) => (gate.publish(d, 0), seen))
}

test('words before a claim go out at once; the claim waits for the end of its sentence', () => {
  expect(stream(['Your order #W2378', '156 was deliv', 'ered. You paid $46.66', '. Anything else?'])).toEqual([
    'Your order ', 'Your order ', 'Your order #W2378156 was delivered. You paid ', 'Your order #W2378156 was delivered. You paid $46.66. Anything ',
  ])
})

test('the first unsupported claim stops the stream: nothing of it, and nothing after it, is released', () => {
  expect(stream(['Thanks for waiting. Your order is ', 'cancelled. It was delivered. ']).at(-1)).toBe('Thanks for waiting. Your order is ')
  expect(stream(['Good news. We refund $19', '.99 today. Bye. ']).at(-1)).toBe('Good news. We refund ')
  // Words after the start of a possible fact wait with it.
  expect(stream(['Good news. We give a 20% bereavement ', 'discount. Bye. ']).at(-1)).toBe('Good news. ')
})

test('a card number is never streamed, grounding on or off', () => {
  const off = sentenceCheck(history, [], false)
  expect(stream(['Your card 4111 1111 1111 1111 is on file. Your order is cancelled. '], off).at(-1)).toBe('')
  expect(stream(['Hello. Your order is cancelled. '], off).at(-1)).toBe('Hello. Your order is cancelled. ')
})
