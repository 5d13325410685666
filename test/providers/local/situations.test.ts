// A customer who first tells what happened ("I received two tablets and I only need one") and then what they
// want: asked what to do instead of handed off, the situation stays the context of the request; "the more
// expensive one" picks the item (and so the order) by price, the latest comparison counting.
import { expect, test } from 'bun:test'
import { converse, useRetailFixture, writesOf } from './retail-conversation.ts'

const retail = useRetailFixture()

test('a situation without a request is asked about, not handed off; "the more expensive one" of two tablets in two orders', async () => {
  const c = await converse(retail.fx, [
    'I received two tablets and I only need one.',
    'I want to return the more expensive one and refund to credit card.',
    'Chen Silva, zip code 46281.', 'Yes.',
  ])
  expect(c.replies[0]?.decision.reason).toBe('need_request')
  // The order was paid with a gift card: the credit card is said to be impossible, with the order it is about.
  expect(c.replies.at(-1)?.text).toStartWith('I cannot refund order #W9571698 to that payment method')
  const next = await converse(retail.fx, ['Then refund to GC.', 'Yes'], c.messages)
  expect(writesOf(next)).toEqual([['return_delivered_order_items', { order_id: '#W9571698', item_ids: ['6065192424'], payment_method_id: 'gift_card_7250692' }]])
})

test('introduced with the situation, the verified customer is asked what to do and the situation stays; the latest comparison counts', async () => {
  const c = await converse(retail.fx, [
    "I'm Chen Silva, zip code 46281. I received two tablets and I only need one.",
    'I want to return the less expensive one and refund to my gift card.',
  ])
  expect(c.replies[0]?.text).toEndWith('What would you like to do?')
  expect(c.replies.at(-1)?.text).toContain('Tablet (8-inch, 64GB, silver), item 8551474201')
  const next = await converse(retail.fx, ['I change my mind and return the more expensive one and ask for a refund to gift card.', 'Yes'], c.messages)
  expect(writesOf(next)).toEqual([['return_delivered_order_items', { order_id: '#W9571698', item_ids: ['6065192424'], payment_method_id: 'gift_card_7250692' }]])
})

test('"the visa card" of a visa and a mastercard settles the exchange, and "for both orders" the next one too', async () => {
  const c = await converse(retail.fx, [
    'Sofia Li, zip code 78260.',
    'I want to exchange my Bicycle for one with a larger frame size (a mountain bike is fine). The Jigsaw Puzzle in the same order also needs to be exchanged, I want the same difficulty, but 1000 more pieces, and I prefer art over the animal theme if both are available.',
    'Yes.', "For both orders, I'd prefer the visa card as payment or refund method.", 'Yes',
  ])
  expect(writesOf(c)).toEqual([['exchange_delivered_order_items', {
    order_id: '#W3916020', item_ids: ['4068787148', '7758198585'], new_item_ids: ['5546244844', '5606522780'], payment_method_id: 'credit_card_3951670',
  }]])
  // "For both orders": the next exchange is settled with the visa too, without asking again.
  const next = await converse(retail.fx, ['I also want to exchange my camera to a slightly lower resolution, without changing the other options.', 'Yes'], c.messages)
  expect(writesOf(next)).toEqual([['exchange_delivered_order_items', {
    order_id: '#W4689314', item_ids: ['5996159312'], new_item_ids: ['8363011723'], payment_method_id: 'credit_card_3951670',
  }]])
})
