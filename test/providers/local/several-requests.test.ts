// A message with several requests: each is carried out in turn, including one that asks the same change of
// another thing ("… along with my default address").
import { expect, test } from 'bun:test'
import { converse, useRetailFixture, writesOf } from './retail-conversation.ts'

const retail = useRetailFixture()

test('"all my pending order addresses to the DC address, along with my default address": the default address follows the orders', async () => {
  const c = await converse(retail.fx, [
    'Hey, I want to modify all my pending order address to the Washington DC address, along with my user default address.',
    'It\'s yusuf.hernandez8836@example.com.', 'Yes, go ahead.', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes',
  ])
  const dc = { address1: '565 Maple Drive', address2: 'Suite 501', city: 'Washington', state: 'DC', country: 'USA', zip: '20307' }
  const writes = writesOf(c)
  expect(writes.filter(([tool]) => tool === 'modify_pending_order_address').length).toBeGreaterThan(1)
  expect(writes.at(-1)).toEqual(['modify_user_address', { user_id: 'yusuf_hernandez_6785', ...dc }])
})

test('cancelling the things named across orders cancels the orders holding them, and no other pending order', async () => {
  const c = await converse(retail.fx, [
    'Due to some life changes, I no longer need hiking boots, watch, keyboard, charger, jacket, and running shoes.',
    'I want to cancel them.', 'It\'s james.kim1995@example.com.', 'Yes, go ahead.', 'yes', 'yes',
  ])
  expect(writesOf(c)).toEqual([
    ['cancel_pending_order', { order_id: '#W3289292', reason: 'no longer needed' }],
    ['cancel_pending_order', { order_id: '#W9722559', reason: 'no longer needed' }],
  ])
  expect(c.replies.at(-1)?.text).toEndWith('Let me know if there is anything else I can help you with.')
})
