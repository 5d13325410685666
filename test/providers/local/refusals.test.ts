// What the policy does not allow is said, with the facts the customer asked for, never turned into another write:
// splitting a payment, cancelling one item of an order; "all items to their cheapest options" leaves an item that
// is already the cheapest as it is; a situation the customer cannot turn into a request ends with a person.
import { expect, test } from 'bun:test'
import { converse, reasonsOf, useRetailFixture, writesOf } from './retail-conversation.ts'

const retail = useRetailFixture()
const identity = "I'm Daiki Sanchez, zip code 46236."

test('a split payment and a single item\'s cancellation are refused; the most expensive item is named with its price', async () => {
  const c = await converse(retail.fx, [
    `${identity} I just placed an order but my card has only $1150 credit left. I wonder if you can help split the payment with another card.`,
    'Can you tell me what the most expensive item and its price, and whether I can just cancel that item?',
  ])
  expect(c.replies[0]?.text).toStartWith('I cannot split the payment of order #W9348897: an order is paid with one payment method only.')
  const said = c.replies.at(-1)?.text ?? ''
  expect(said).toStartWith('I cannot cancel a single item: cancelling applies to the whole order #W9348897')
  expect(said).toContain('The most expensive item in it is Action Camera (')
  expect(said).toContain('$481.50')
  expect(c.writes).toEqual([])
})

test('"switch all items to their cheapest options": only the items that have a cheaper option change', async () => {
  const c = await converse(retail.fx, [identity, 'Can I switch all items of my pending order to their cheapest options?'])
  const next = await converse(retail.fx, ['Use the original payment method.', 'Yes'], c.messages)
  expect(writesOf(next)).toEqual([['modify_pending_order_items', {
    order_id: '#W9348897', item_ids: ['6117189161', '7453605304', '3799046073'], new_item_ids: ['6700049080', '5320792178', '3234800602'], payment_method_id: 'credit_card_8853416',
  }]])
})

test('a situation the customer cannot turn into a request is asked about twice, then handed to a person', async () => {
  const c = await converse(retail.fx, ['Due to some life changes, I no longer need the hiking boots and the keyboard.', "I'm not sure.", 'Whatever you think is right.'])
  expect(reasonsOf(c)).toEqual(['need_request', 'need_request', 'pending_clarification: need_request asked 2 times without an answer'])
  expect(c.writes).toEqual([])
})

test('"the easiest one with fewest pieces" of "the 1000-piece intermediate jigsaw": the beginner 500-piece puzzle, shown before any write', async () => {
  const c = await converse(retail.fx, [
    'I just created my user id mei_patel_7272. Mei Patel, zip code 76165. The 1000-piece intermediate jigsaw might be too hard for my little kid, I wonder if I can change it to the easiest one with fewest pieces.',
    'Yes.', 'Use paypal.',
  ])
  expect(c.replies.at(-1)?.text).toContain('Jigsaw Puzzle (500, art, beginner), item 1096508426')
  expect(c.writes).toEqual([])
})

test('a refused single-item cancellation ends there: the next cancellation is its own request, and the waiting return follows', async () => {
  const c = await converse(retail.fx, [
    "I'm Olivia Lopez, zip code 76171. Cancel the boot and keep the kettle (if not possible, do not do anything on that order), and return the sneaker.",
    'Yes please.', 'Cancel the charger I just bought.', 'No longer needed.', 'yes',
  ])
  const reasons = reasonsOf(c)
  expect(reasons).toContain('need_whole_order')
  expect(reasons.filter((r) => r === 'need_whole_order')).toHaveLength(1)
  expect(writesOf(c)).toEqual([['cancel_pending_order', { order_id: '#W9373487', reason: 'no longer needed' }]])
  expect(c.replies.at(-1)?.text).toContain('You also asked: "return the sneaker." Shall I go on with that?')
})

test('taking the whole order instead of one item goes on to cancel the whole order', async () => {
  const c = await converse(retail.fx, [
    "I'm Olivia Lopez, zip code 76171. Cancel the boot and keep the kettle.", 'Yes please.', 'Yes, cancel the whole order.', 'No longer needed.', 'yes',
  ])
  expect(writesOf(c)).toEqual([['cancel_pending_order', { order_id: '#W5481803', reason: 'no longer needed' }]])
})
