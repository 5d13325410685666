// Which order and which request the customer means: an exchange with a return as its fallback ("if that is not
// possible, just return it") becomes that return when the exchange cannot be made, and only then; "the order I
// just placed" among several is asked about, since no tool result dates an order.
import { expect, test } from 'bun:test'
import { converse, useRetailFixture, writesOf } from './retail-conversation.ts'

const retail = useRetailFixture()
const identity = 'My email is juan.nguyen7877@example.com.'

test('"exchange for the same item, but if that is not possible just return it": the return is proposed, then made on a yes', async () => {
  const c = await converse(retail.fx, [
    `${identity} My hiking boots arrived damaged. I'd like to exchange them for the same item, but if that is not possible just return them.`,
    'Yes, go ahead.',
  ])
  const proposal = c.replies[0]?.text ?? ''
  expect(proposal).toStartWith('I cannot make that exchange')
  expect(proposal).toContain('To confirm, return from order #W2430890: Hiking Boots')
  expect(writesOf(c)).toEqual([['return_delivered_order_items', { order_id: '#W2430890', item_ids: ['1437889264'], payment_method_id: 'credit_card_3522913' }]])
})

test('the same exchange without a fallback asks which option instead, and writes nothing', async () => {
  const c = await converse(retail.fx, [`${identity} My hiking boots arrived damaged. I'd like to exchange them for the same item.`, 'Yes, go ahead.'])
  expect(c.replies[0]?.decision.reason).toBe('need_new_item')
  expect(c.writes).toEqual([])
})

test('"cancel the order I just placed" with two pending orders: asked which, saying why, and nothing cancelled', async () => {
  const c = await converse(retail.fx, ['I\'m Aarav Lee, zip code 85025. Please cancel the order I just placed, I no longer need it.', 'Yes, go ahead.'])
  const asked = c.replies[0]?.text ?? ''
  expect(asked).toStartWith('Your order records do not show when each order was placed')
  expect(asked).toContain('#W3361211')
  expect(asked).toContain('#W3586556')
  expect(c.writes).toEqual([])
})

test('"I\'d prefer the other card" said to a proposal: asked which of the other methods, not shown the same proposal; the one named is used', async () => {
  const c = await converse(retail.fx, [
    'Sofia Li, zip code 78260. I want to exchange my camera to a slightly lower resolution, without changing the other options.',
    'Go ahead.', 'Use the mastercard.', 'I\'d prefer the other card.',
  ])
  expect(c.replies.at(-2)?.text).toContain('through mastercard card ending 8484 (credit_card_8105988)')
  expect(c.replies.at(-1)?.text).toBe('Which payment method should settle the price difference? On your profile: paypal_8194385; visa card ending 6791 (credit_card_3951670).')
  const next = await converse(retail.fx, ['The visa card, please.', 'Yes'], c.messages)
  expect(writesOf(next)).toEqual([['exchange_delivered_order_items', { order_id: '#W4689314', item_ids: ['5996159312'], new_item_ids: ['8363011723'], payment_method_id: 'credit_card_3951670' }]])
})
