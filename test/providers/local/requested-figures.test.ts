// Figures a customer asks for, stated from tool results: the total refunded by the changes made in the
// conversation, a gift card's balance after a change it paid for; and what the agent says instead of writing
// what was not asked: an exchange for the very same item, a refund to another order's payment method.
import { expect, test } from 'bun:test'
import { converse, lookup, useRetailFixture, writesOf } from './retail-conversation.ts'

const retail = useRetailFixture()

test('"and I want to know the total amount I can get back": the refunds of every change made, and their sum', async () => {
  const c = await converse(retail.fx, [
    'Fatima Johnson, zip code 78712. I want to cancel all pending orders (since they are no longer needed) and return the watch I have received (but nothing else), and I want to know the total amount I can get back.',
    'Yes', 'Yes', 'Yes', 'Yes',
  ])
  expect(c.writes.map((w) => w.name)).toEqual(['cancel_pending_order', 'cancel_pending_order', 'return_delivered_order_items'])
  expect(c.replies.at(-1)?.text).toContain('$3131.10 (order #W5199551), $4777.75 (order #W8665881), $367.38 (order #W9389413); $8276.23 in total.')
})

test('asked after the changes, the refund total is its own request; with no change made, nothing is claimed', async () => {
  const none = await converse(retail.fx, ['Fatima Johnson, zip code 78712.', 'I want to know the total refund amount.'])
  expect(none.replies.at(-1)?.text).toContain('No change in this conversation has refunded anything')
  await retail.fx.reset()
  const c = await converse(retail.fx, ['Fatima Johnson, zip code 78712.', 'I want to return the watch I have received.', 'Yes', 'Finally, I want to know the total refund amount.'])
  expect(c.replies.at(-1)?.text).toContain('The total refund is $367.38 (order #W9389413).')
})

test('a gift card balance asked after a change it paid for is read from the account loaded after the change', async () => {
  const c = await converse(retail.fx, [
    'Ethan Garcia, zip code 80280.', 'I want to change the running shoes in order #W9911714 to item 4107812777, paying with my gift card.', 'Yes',
    'I want to know my gift card balance after all these changes are complete.',
  ])
  expect(c.writes).toHaveLength(1)
  const loads = c.messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls ?? [] : [])).filter((t) => t.name === 'get_user_details')
  expect(loads).toHaveLength(2)
  expect(c.replies.at(-1)?.text).toContain('gift card gift_card_4332117 (balance $77.72)')
})

test('"exchange it to the same item" is said to be impossible, and the option named next is proposed', async () => {
  const c = await converse(retail.fx, [
    "I'm Mei Ahmed, zip code 78705. I also want to return the e-reader I just bought. If the same item is available online, I'm willing to exchange it to the same item.",
    'Yes, keep looking.',
  ])
  expect(c.replies.at(-1)?.text).toContain('I cannot give you the same item as E-Reader (8-inch, Wi-Fi, 8GB), item 9494281769')
  expect(c.writes).toEqual([])
  const next = await converse(retail.fx, ['Get the 32GB storage E-Reader instead.', 'Yes'], c.messages)
  expect(writesOf(next)).toEqual([['exchange_delivered_order_items', {
    order_id: '#W3239882', item_ids: ['9494281769'], new_item_ids: ['7609274509'], payment_method_id: 'credit_card_5902940',
  }]])
})

test('a refund to the other order\'s payment method is refused, never replaced by the original method unasked', async () => {
  const c = await converse(retail.fx, [
    "It's mia.garcia2723@example.com. I want to return all things ordered. I have two payment methods and two orders, and I want to refund each order to the other order's payment method.",
  ])
  expect(c.replies.at(-1)?.text).toStartWith('I cannot refund an order to another order\'s payment method')
  expect(c.writes).toEqual([])
  const next = await converse(retail.fx, ['Fine, return all things with the original payment method.', 'Yes', 'Yes'], c.messages)
  expect(writesOf(next)).toEqual([
    ['return_delivered_order_items', { order_id: '#W5490111', item_ids: ['4579334072', '1421289881', '6117189161', '4947717507'], payment_method_id: 'credit_card_3124723' }],
    ['return_delivered_order_items', { order_id: '#W7387996', item_ids: ['5796612084'], payment_method_id: 'paypal_9497703' }],
  ])
})

test('"how much I paid for the order I most recently placed": no tool dates an order, so each order\'s payments, none guessed', async () => {
  const c = await converse(retail.fx, ['Noah Ito, zip code 98187. I want to check how much I paid for the order that I most recently placed.'])
  const said = c.replies.at(-1)?.text ?? ''
  expect(said).toStartWith('Your order records do not show when each order was placed')
  for (const paid of ['Order #W3445693 is delivered (', 'Order #W6729841 is pending (', 'paid $829.43 with', 'paid $919.67 with']) expect(said).toContain(paid)
  expect(said.length).toBeLessThan(1500)
})

test('"which two t-shirts have I ordered": of the orders holding t-shirts, the one holding two, with their options', async () => {
  const c = await converse(retail.fx, ['Sofia Hernandez, zip code 98193.', 'I want to ask which two t-shirts I have ordered, and what materials are they.'])
  const said = c.replies.at(-1)?.text ?? ''
  expect(said).toStartWith('Order #W9609649 (processed) has: T-Shirt (')
  expect(said).toContain('cotton')
  expect(said).toContain('polyester')
  expect(said).not.toContain('#W6876713')
})

test('"how much I need to pay today in total": the price difference each exchange recorded, and the net', async () => {
  const c = await converse(retail.fx, [
    "I'm Yusuf Rossi, zip code 19122. I received my order #W2378156 and wish to exchange the mechanical keyboard for the same one but with clicky switches and the smart thermostat for one compatible with Google Home instead of Apple HomeKit.",
    "I'd go for no backlight.", 'Yes.', 'Next, I want to know how much I need to pay today in total.',
  ])
  expect(c.writes.map((w) => w.name)).toEqual(['exchange_delivered_order_items'])
  const order = await lookup<{ exchange_price_difference?: number }>(retail.fx, 'get_order_details', { order_id: '#W2378156' })
  const difference = Number(order.exchange_price_difference)
  const said = `$${Math.abs(difference).toFixed(2)} ${difference >= 0 ? 'to pay' : 'back'}`
  expect(c.replies.at(-1)?.text).toContain(`The price differences of this conversation's exchanges: ${said} (order #W2378156); ${said} in total.`)
})

test('"after the return is complete, the total I paid for the remaining items in the same order" is answered after the return, not read as another return', async () => {
  const c = await converse(retail.fx, [
    "I'm Daiki Johnson, zip code 80273. I want to return an air purifier and a vacuum cleaner in my recent order. After the return is complete, can you tell me the total amount I paid for the remaining items in the same order.",
    'The robotic one.', 'yes', 'Yes please.',
  ])
  expect(writesOf(c)).toEqual([['return_delivered_order_items', { order_id: '#W9502127', item_ids: ['9534205511', '6259501109'], payment_method_id: 'paypal_2433177' }]])
  expect(c.replies.at(-1)?.decision.reason).toBe('remaining_total')
  expect(c.replies.at(-1)?.text).toStartWith('The items you keep cost, order #W9502127: $1497.65 for ')
})

test('a request that waits behind one answered by another ("then cancel it") is still taken up: "the total price for all the grills I have bought", from every order', async () => {
  const c = await converse(retail.fx, [
    'Ava Nguyen, zip code 94128. I want to modify the skateboard to maple material, 34 inch, graphic. Finally, I also want to know the total price for all the grills I have bought in previous orders.',
    'Yes', 'Cancel the order since I no longer need this one.', 'Yes', 'Yes',
  ])
  expect(writesOf(c)).toEqual([['cancel_pending_order', { order_id: '#W1242543', reason: 'no longer needed' }]])
  const answer = c.replies.at(-1)?.text ?? ''
  for (const part of ['item 7717598293, $985.66 (order #W8668939)', '$953.39 (order #W8668939)', '$1939.05 in total']) expect(answer).toContain(part)
})
