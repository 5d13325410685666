// The streaming release gate on its own: sentences go out as they complete, each checked first; the first one
// that fails stops the stream for good, and an unfinished sentence is never released.
import { expect, test } from 'bun:test'
import { createReleaseGate, sentenceCheck } from '../../actors/provider/release-gate.ts'
import type { ChatTurn } from '../../actors/protocol.ts'

const history: ChatTurn[] = [
  { role: 'customer', text: 'Where is order #W2378156?' },
  { role: 'tool', toolCallId: 'c1', name: 'get_order_details', text: JSON.stringify({ order_id: '#W2378156', status: 'delivered', payment_history: [{ amount: 46.66 }] }) },
]

function stream(deltas: string[], allowed = sentenceCheck(history, [], true)): string[] {
  const released: string[] = []
  const gate = createReleaseGate(allowed, (d, i) => released.push(`${i}:${d}`))
  for (const d of deltas) gate.publish(d, 0)
  return released
}

test('sentences are released as they complete, split wherever the deltas fall', () => {
  expect(stream(['Your order #W2378', '156 was deliv', 'ered. You paid $46.66', '. Anything else?'])).toEqual([
    '0:Your order #W2378156 was delivered. ', '1:You paid $46.66. ',
  ])
})

test('the first unsupported claim stops the stream: nothing from it on is released', () => {
  expect(stream(['Thanks for waiting. Your order is ', 'cancelled. It was delivered. '])).toEqual(['0:Thanks for waiting. '])
  expect(stream(['Good news. We refund $19.99 today. Bye. '])).toEqual(['0:Good news. '])
})

test('a card number is never streamed, grounding on or off', () => {
  const off = sentenceCheck(history, [], false)
  expect(stream(['Your card 4111 1111 1111 1111 is on file. Your order is cancelled. '], off)).toEqual([])
  expect(stream(['Hello. Your order is cancelled. '], off)).toEqual(['0:Hello. ', '1:Your order is cancelled. '])
})
