// Finding the order and the items when the customer does not know the order id: they say its status, where
// it was sent, which of two items of a product they mean, or point back to what they said before. The local
// provider against the real retail tools on a seeded Postgres schema, confirmation enforced at each write.
import { describe, expect, test } from 'bun:test'
import { converse, reasonsOf, useRetailFixture, writesOf } from './retail-conversation.ts'

const retail = useRetailFixture()

describe('the order, from what the customer says about it', () => {
  test('"my cancelled order": the one cancelled order among five, not a question', async () => {
    const c = await converse(retail.fx, ['My email is lucas.brown9344@example.com. I want to get the tracking number of my cancelled order.', 'Yes'])
    expect(reasonsOf(c)).not.toContain('need_order_id')
    expect(c.replies.at(-1)?.text).toContain('Your order #W1154986 is cancelled')
  })

  test('"sent to my son\'s address in Washington DC": the one order shipped there, moved to the default address after the yes', async () => {
    const c = await converse(retail.fx, ['Ivan Khan, zip code 28243. I made a mistake and sent an order to my son\'s address in Washington DC, and I want to modify it to my default address instead.', 'Yes', 'Yes'])
    expect(writesOf(c)).toEqual([['modify_pending_order_address', {
      order_id: '#W5270061', address1: '159 Hickory Lane', address2: 'Suite 995', city: 'Charlotte', state: 'NC', country: 'USA', zip: '28243',
    }]])
  })

  test('"things I ordered for my daughter": the order not shipped to the account\'s address', async () => {
    const c = await converse(retail.fx, ['Lucas Santos, zip code 80239. I ordered some things for my daughter but she has not received them: which address was the order sent to, and what is its tracking number?'])
    expect(c.replies.at(-1)?.text).toContain('#W7895761')
    expect(reasonsOf(c)).not.toContain('need_order_id')
  })

  test('"my pending order … to the default Chicago one": the one pending order, to the default address in that city; another city is not the default', async () => {
    const c = await converse(retail.fx, ['My email is lucas.brown9344@example.com. I want to change my pending order address to the default Chicago one.', 'Yes', 'Yes'])
    expect(writesOf(c)).toEqual([['modify_pending_order_address', {
      order_id: '#W4860251', address1: '921 Park Avenue', address2: 'Suite 892', city: 'Chicago', state: 'IL', country: 'USA', zip: '60612',
    }]])
    await retail.fx.reset()
    const other = await converse(retail.fx, ['My email is lucas.brown9344@example.com. I want to change my pending order address to the default Denver one.', 'Yes', 'Yes'])
    expect(other.writes).toEqual([])
  })

  test('"change my default address to my daughter\'s address": the one address her order was shipped to, shown before the yes', async () => {
    const c = await converse(retail.fx, ['Lucas Santos, zip code 80239. I ordered some things for my daughter but she has not received them: which address was the order sent to, and what is its tracking number?',
      'I want to change my default address to my daughter\'s address.', 'Yes'])
    expect(writesOf(c)).toEqual([['modify_user_address', {
      user_id: 'lucas_santos_6600', address1: '943 Maple Drive', address2: 'Suite 356', city: 'Chicago', state: 'IL', country: 'USA', zip: '60621',
    }]])
  })

  test('"I also want to change the desk lamp and the backpack" after changing the one order holding both: that order, not the two others holding a backpack', async () => {
    const c = await converse(retail.fx, ['Ivan Khan, zip code 28243. I sent an order to my son\'s address in Washington DC, and I want to change it to my default address instead.', 'Yes', 'Yes',
      'I also want to change the desk lamp to item 1569765161 and the backpack to item 5917587651.', 'PayPal', 'Yes'])
    expect(reasonsOf(c)).not.toContain('need_order_id')
    expect(writesOf(c).at(-1)).toEqual(['modify_pending_order_items', {
      order_id: '#W5270061', item_ids: ['2492465580', '7453605304'], new_item_ids: ['5917587651', '1569765161'], payment_method_id: 'paypal_7729105',
    }])
  })

  test('"moved to a new house … bought a luggage set sent to this new address": the new home is that order\'s address; the other order and the default move there', async () => {
    const c = await converse(retail.fx, ['My email is sophia.martin4832@example.com. I live on Elm Avenue in Houston, and recently I moved to a new house on the same street and bought a luggage set sent to this new address. ' +
      'But I realize I have another order sent to the old address, and I want to change my wrong order address to the new home, and also my user default address to the new home.', 'Yes.', 'Yes.'])
    const home = { address1: '592 Elm Avenue', address2: 'Suite 978', city: 'Houston', state: 'TX', country: 'USA', zip: '77242' }
    expect(reasonsOf(c)).not.toContain('need_address')
    expect(writesOf(c)).toEqual([['modify_user_address', { user_id: 'sophia_martin_8570', ...home }], ['modify_pending_order_address', { order_id: '#W1603792', ...home }]])
  })

  test('"change my pending order item to red": the one pending order and its one item', async () => {
    const c = await converse(retail.fx, ['My email is lucas.brown9344@example.com. I want to change my pending order item to red.', 'Yes', 'Yes'])
    expect(writesOf(c)).toEqual([['modify_pending_order_items', { order_id: '#W4860251', item_ids: ['5209958006'], new_item_ids: ['8964750292'], payment_method_id: 'credit_card_2112420' }]])
  })
})

describe('which of two items, and which order holds it', () => {
  test('a laptop in two orders: the question names both orders with their laptops; "the 15-inch, 32GB one" settles it', async () => {
    const asked = await converse(retail.fx, ['Lei Wilson, zip code 32255. I received a laptop and I want to exchange it to i7 processor, 8GB, 1TB SSD.', 'I don\'t remember the order number.'])
    const question = asked.replies[0]!
    expect(question.decision.reason).toBe('need_order_id')
    for (const part of ['#W2905754', '#W4073673', 'item 3478699712', 'item 2216662955']) expect(question.text).toContain(part)
    expect(asked.escalated).toBeUndefined()
    expect(asked.writes).toEqual([])
    await retail.fx.reset()
    const told = await converse(retail.fx, ['Lei Wilson, zip code 32255. I received a laptop and I want to exchange it to i7 processor, 8GB, 1TB SSD.', 'It is 15-inch, 32GB.', 'Yes', 'Yes'])
    expect(writesOf(told)).toEqual([['exchange_delivered_order_items', { order_id: '#W4073673', item_ids: ['2216662955'], new_item_ids: ['9844888101'], payment_method_id: 'credit_card_3677959' }]])
  })

  test('"it is actually two laptops", one in each of two orders: each order\'s exchange proposed and confirmed on its own', async () => {
    const c = await converse(retail.fx, ['Lei Wilson, zip code 32255. I received a laptop and I want to exchange it to i7 processor, 8GB, 1TB SSD.',
      'It is 15-inch, and it is actually two laptops that I want to exchange.', 'Yes', 'Yes'])
    expect(writesOf(c)).toEqual([
      ['exchange_delivered_order_items', { order_id: '#W2905754', item_ids: ['3478699712'], new_item_ids: ['9844888101'], payment_method_id: 'credit_card_3677959' }],
      ['exchange_delivered_order_items', { order_id: '#W4073673', item_ids: ['2216662955'], new_item_ids: ['9844888101'], payment_method_id: 'credit_card_3677959' }],
    ])
  })

  test('"I received two tablets and I only need one": the count is what they have, so only the one described is returned', async () => {
    const c = await converse(retail.fx, ['Chen Silva, zip code 46281. I received two tablets and I only need one. I want to return the more expensive one.', 'Yes', 'Yes', 'Yes'])
    expect(writesOf(c)).toEqual([['return_delivered_order_items', { order_id: '#W9571698', item_ids: ['6065192424'], payment_method_id: 'gift_card_7250692' }]])
  })

  test('two vacuum cleaners in one order: asked which, "the robotic one" is returned with the air purifier, and the answer holds past the proposal', async () => {
    const c = await converse(retail.fx, ['Daiki Johnson, zip code 80273. I want to return an air purifier and a vacuum cleaner in my recent order.', 'The robotic one.', 'Yes'])
    expect(c.replies[0]?.decision.reason).toBe('need_items')
    expect(writesOf(c)).toEqual([['return_delivered_order_items', { order_id: '#W9502127', item_ids: ['9534205511', '6259501109'], payment_method_id: 'paypal_2433177' }]])
  })

  test('"I received two tablets … return the more expensive one": the tablet the earlier message named, the pricier of the two orders\' tablets', async () => {
    const c = await converse(retail.fx, ['I\'m Chen Silva, zip code 46281. I received two tablets and I only need one.', 'I want to return the more expensive one.'])
    const proposal = c.replies.at(-1)!
    expect(proposal.decision.reason).toBe('confirm:return_delivered_order_items')
    expect(proposal.text).toContain('#W9571698')
    expect(proposal.text).toContain('item 6065192424')
    expect(c.writes).toEqual([])
  })

  test('a refund the policy does not allow names its order; "then return everything on that order, refund to GC" is that order, to the gift card', async () => {
    const c = await converse(retail.fx, ['Chen Silva, zip code 46281. I received two tablets and I only need one. I want to return the more expensive one and refund to credit card.',
      'Yes', 'Then return everything on that order and refund to GC.', 'Yes'])
    expect(c.replies[1]?.decision.reason).toBe('need_refund_method')
    expect(c.replies[1]?.text).toContain('#W9571698')
    expect(writesOf(c)).toEqual([['return_delivered_order_items', {
      order_id: '#W9571698', item_ids: ['9973034634', '5952720925', '7381052709', '6065192424'], payment_method_id: 'gift_card_7250692',
    }]])
  })

  test('"the two skateboards" counts skateboards, not the e-reader another order holds: each order proposed and confirmed on its own', async () => {
    const c = await converse(retail.fx, ['Mei Ahmed, zip code 78705. I want to return the two skateboards and the e-reader.', 'Yes', 'Yes', 'Yes'])
    expect(reasonsOf(c)).not.toContain('need_items')
    expect(writesOf(c)).toEqual([
      ['return_delivered_order_items', { order_id: '#W7553978', item_ids: ['4545791457', '3098764622'], payment_method_id: 'credit_card_5902940' }],
      ['return_delivered_order_items', { order_id: '#W3239882', item_ids: ['9494281769'], payment_method_id: 'credit_card_5902940' }],
    ])
  })
})
