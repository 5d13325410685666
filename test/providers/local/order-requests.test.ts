// Which order and which request the customer means: an exchange with a return as its fallback ("if that is not
// possible, just return it") becomes that return when the exchange cannot be made, and only then; "the order I
// just placed" among several is asked about, since no tool result dates an order; a return and an exchange from
// one delivered order (done only once) are a choice, with what each gives back, before any write; "cancel or return
// all my orders, except …" cancels each pending order and returns what was delivered, leaving out the exception.
import { describe, expect, test } from 'bun:test'
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

test('"cancel the older order" of two ids given: asked which, saying the records do not date them', async () => {
  const c = await converse(retail.fx, ['I\'m Aarav Lee, zip code 85025. My orders #W3361211 and #W3586556 are both still pending. Cancel the older order, I no longer need it.', 'Yes'])
  expect(c.replies[0]?.text).toBe('You mentioned orders #W3361211 and #W3586556. Your order records do not show when each order was placed, so I cannot tell which one you mean by its date. Which one would you like to cancel? Please give me its order id.')
  expect(c.writes).toEqual([])
})

describe('a return and an exchange from the same delivered order', () => {
  const both = 'My email is mason.kovacs5711@example.com. I want to return the sunglasses, and exchange the desk lamp to the cheapest version.'

  test('are a choice stated with what each gives back before any write; "whatever saves me the most" is the return', async () => {
    const c = await converse(retail.fx, [both])
    const choice = c.replies[0]?.text ?? ''
    expect(choice).toStartWith('Your requests are both about order #W9608525, and a delivered order can be returned or exchanged only once')
    expect(choice).toContain('$296.16 back')
    expect(choice).toContain('Desk Lamp (black, medium, AC adapter), item 5320792178, $135.24: $29.04 back')
    expect(c.writes).toEqual([])
    const next = await converse(retail.fx, ['I prefer whatever saves me the most money.', 'Yes'], c.messages)
    expect(writesOf(next)).toEqual([['return_delivered_order_items', { order_id: '#W9608525', item_ids: ['2198125883'], payment_method_id: 'gift_card_3734426' }]])
  })

  test('"the exchange, please" lets the return go and offers the exchange, which is made on its own yes', async () => {
    const c = await converse(retail.fx, [both, 'The exchange, please.', 'Yes.', 'Yes.'])
    expect(c.replies[1]?.text).toStartWith('All right, I will not make the return from order #W9608525, so that the exchange can be made.')
    expect(writesOf(c)).toEqual([['exchange_delivered_order_items', { order_id: '#W9608525', item_ids: ['9083642334'], new_item_ids: ['5320792178'], payment_method_id: 'gift_card_3734426' }]])
  })
})

test('"cancel or return all my orders. Well, except the smart watch": each pending order cancelled, the rest of the delivered returned', async () => {
  const c = await converse(retail.fx, [
    'My email is juan.nguyen7877@example.com. I want to cancel or return all my orders. Well, except the smart watch that I love.',
    'I no longer need it.', 'Yes', 'Yes', 'Yes', 'Also cancel the other items.',
  ])
  expect(writesOf(c)).toEqual([
    ['cancel_pending_order', { order_id: '#W9537685', reason: 'no longer needed' }],
    ['return_delivered_order_items', { order_id: '#W2430890', item_ids: ['1437889264'], payment_method_id: 'credit_card_3522913' }],
  ])
  // Nothing is pending any more: said, not asked about.
  expect(c.replies.at(-1)?.text).toStartWith('None of your orders is pending now, so there is none I can cancel.')
})
