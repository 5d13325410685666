// The new variant a customer asks for, read from how people say it (fallback chains, "or above", options
// kept or left free, corrections, units, superlatives, an item told apart by its options), and addresses
// given in part (no state, a full state name, the default address and the orders' at once, "back to the
// original"): against the real retail tools on a seeded Postgres schema, every write confirmed first.
import { describe, expect, test } from 'bun:test'
import { converse, lookup, useRetailFixture, writesOf } from './retail-conversation.ts'

const retail = useRetailFixture()
const user = (id: string) => lookup<{ address: Record<string, string> }>(retail.fx, 'get_user_details', { user_id: id })

describe('the new variant', () => {
  test('"size 8, the same material, I do not care if waterproof": a yes is no option value, and the delivered boots stay out of "the pending boots"', async () => {
    const c = await converse(retail.fx, [
      'Fatima Johnson, zip code 78712. I would like to change my pending hiking boots to size 8, I want the same material but I do not care about waterproof or not.',
      'Yes, keep looking.',
      'PayPal, please.',
      'Yes.',
      'Yes.',
    ])
    expect(writesOf(c)).toEqual([['modify_pending_order_items', {
      order_id: '#W5199551', item_ids: ['1615379700'], new_item_ids: ['3613716226'], payment_method_id: 'paypal_5364164',
    }]])
  })

  test('a fallback chain in one message ("8 bar, else 9 bar") and "the cheapest i7 or above" for the other item of the same order', async () => {
    const c = await converse(retail.fx, [
      'Ivan Hernandez, zip code 92133. I received order #W5838674 and want to exchange two items. For the coffee machine, keep the capacity and type but lower the pressure to 8 bar; if 8 bar is not possible, 9 bar, otherwise 7 bar. For the laptop, the cheapest i7 or above, other specs do not matter.',
      'My gift card.',
    ])
    expect(c.replies.at(-1)?.text).toContain('Espresso Machine (9 bar, 1.5L, capsule), item 3815173328')
    expect(c.replies.at(-1)?.text).toContain('Laptop (15-inch, i7, 32GB, 1TB SSD, space grey), item 6017636844')
    expect(c.writes).toEqual([])
  })

  test('a value the catalogue lacks is said to be unavailable, never swapped for a neighbour; the next message corrects it', async () => {
    const c = await converse(retail.fx, [
      'Ivan Hernandez, zip code 92133. For the coffee machine in order #W5838674, keep the capacity and type but change the pressure lower to 8 bar.',
      'Then I want 9 bar.',
    ])
    expect(c.replies[0]?.decision.reason).toBe('need_new_item')
    expect(c.replies[0]?.text).toContain('is not available')
    expect(c.replies[1]?.text).not.toContain('is not available')
    expect(c.replies.at(-1)?.text).toMatch(/Which payment method|Espresso Machine \(9 bar, 1\.5L, capsule\), item 3815173328/)
  })

  test('"the 17-inch laptop" of two in one order is that one; "the 13-inch version" fits three, each giving up another option, so they are listed; "I prefer i5" settles it', async () => {
    const c = await converse(retail.fx, [
      'My email is aarav.santos8320@example.com. I want to modify the 17-inch laptop to the 13-inch version.',
      'I want to know all available 13-inch options, and I prefer i5 over i7.',
      'Yes.',
    ])
    expect(c.replies[0]?.decision.reason).toBe('need_new_item')
    for (const item of ['1657832319', '6056040996', '5052031638']) expect(c.replies[0]?.text).toContain(`item ${item}`)
    expect(writesOf(c)).toEqual([['modify_pending_order_items', {
      order_id: '#W9672333', item_ids: ['1684786391'], new_item_ids: ['5052031638'], payment_method_id: 'paypal_7664977',
    }]])
  })

  test('"a shorter bamboo one" fits three designs: the one keeping the design is proposed with the other two and their prices; an id picks another', async () => {
    const c = await converse(retail.fx, [
      'Isabella Johansson, zip code 32286. I want to exchange my skateboard for a shorter bamboo material one.',
      'Yes.',
      'I prefer item 6843647669.',
      'Yes.',
    ])
    const proposal = c.replies[1]?.text ?? ''
    expect(proposal).toContain('Skateboard (bamboo, 28 inch, plain), item 8176740019, $208.60.')
    expect(proposal).toContain('item 6843647669, $180.10')
    expect(proposal).toContain('item 6673921677, $189.57')
    expect(writesOf(c)).toEqual([['exchange_delivered_order_items', {
      order_id: '#W3792453', item_ids: ['4293355847'], new_item_ids: ['6843647669'], payment_method_id: 'paypal_3024827',
    }]])
  })

  test('"if it is less than 200 bucks, exchange my current one to it": no keyboard is, so nothing changes; "return my current one" then returns that keyboard', async () => {
    const c = await converse(retail.fx, [
      'Raj Santos, zip code 98157. I want to know what is the cheapest available mechanical keyboard right now and its options.',
      'If it is less than 200 bucks I want to exchange my current one to it.',
      'I want to return my current one.',
      'Yes.',
    ])
    expect(c.replies[1]?.text).toContain('No available Mechanical Keyboard costs less than $200')
    expect(c.replies[1]?.text).toContain('item 3616838507, $226.11')
    expect(writesOf(c)).toEqual([['return_delivered_order_items', { order_id: '#W4680753', item_ids: ['9690244451'], payment_method_id: 'paypal_2417743' }]])
  })

  test('"my pending small t-shirt": of two pending t-shirts, the one of that size; "same size, same v-neck, prefer polyester"', async () => {
    const c = await converse(retail.fx, [
      'Yusuf Rossi, zip code 19122. I want to modify my pending small tshirt to purple, same size, same v-neck, and prefer polyester.',
      'Yes, go on.',
    ])
    const proposals = c.replies.map((r) => r.text).join('\n')
    expect(proposals).toContain('T-Shirt (purple, S, polyester, v-neck), item 9647292434')
    expect(proposals).not.toContain('3799046073')
  })

  test('values sharing a first word ("Brand A", "Brand B") are told apart by the whole value', async () => {
    const c = await converse(retail.fx, [
      "I'm Yara Muller, yara.muller9246@example.com. For order #W5056519, I want to exchange the Makeup Kit {'skin tone': 'light', 'kit size': 'professional', 'brand': 'Brand B'} to {'skin tone': 'dark', 'brand': 'Brand A'}.",
    ])
    expect(c.replies.at(-1)?.text).toMatch(/Which payment method|Makeup Kit \(dark, professional, Brand A\), item 1573035764/)
    expect(c.replies.at(-1)?.decision.reason).not.toBe('need_new_item')
  })

  test('"4 foot" is the value "4 ft": when that bookshelf is not available it says so instead of listing every option as a question', async () => {
    const c = await converse(retail.fx, ['daiki.silva6295@example.com. I want to change the book shelf to 4 foot but with the same material and color.'])
    expect(c.replies.at(-1)?.decision.reason).toBe('need_new_item')
    expect(c.replies.at(-1)?.text).toContain('Bookshelf with exactly what you described and your other options unchanged is not available')
  })

  test('"the easiest one with fewest pieces" of "the 1000-piece intermediate jigsaw": the wish changes the values that describe the item', async () => {
    const c = await converse(retail.fx, [
      'Mei Patel, zip code 76165. The 1000-piece intermediate jigsaw in my pending order might be too hard for my kid, can I change it to the easiest one with fewest pieces?',
      'PayPal.',
    ])
    expect(c.replies.at(-1)?.text).toContain('Jigsaw Puzzle (500, art, beginner), item 1096508426')
  })
})

describe('what an item change cannot do, said as such', () => {
  test('"change the luggage set for a coat": another product is refused by name; "return the item" and "cancel the whole order" then mean that order', async () => {
    const c = await converse(retail.fx, [
      'Aarav Lee, zip code 85025. I want to change the luggage set in my order for a coat.',
      'Return the item then.',
      'Cancel the whole order.',
      'I no longer need it.',
      'Yes.',
    ])
    expect(c.replies[0]?.text).toContain('The Luggage Set in order #W3361211 cannot be changed into a coat')
    expect(c.replies[1]?.text).toContain('Order #W3361211 is pending. Only delivered orders can be returned')
    expect(writesOf(c)).toEqual([['cancel_pending_order', { order_id: '#W3361211', reason: 'no longer needed' }]])
  })

  test('"remove the fleece jacket from my pending order": only the whole order can be cancelled, said in the proposal before the yes', async () => {
    const c = await converse(retail.fx, ['Ava Nguyen, zip code 94128. I ordered a fleece jacket by mistake and want to remove it from my pending order.', 'Yes, keep looking.'])
    const proposal = c.replies.at(-1)?.text ?? ''
    expect(proposal).toContain('A single item cannot be removed from an order: only the whole order can be cancelled.')
    expect(proposal).toContain('cancel order #W8367380')
    expect(c.writes).toEqual([])
  })

  test('"the visa card" among a visa and a mastercard settles with the visa', async () => {
    const c = await converse(retail.fx, [
      'Sofia Li, zip code 78260. I want to exchange the digital camera in order #W4689314 for a slightly lower resolution, without changing the other options.',
      'I would prefer the visa card.',
    ])
    expect(c.replies.at(-1)?.text).toContain('visa card ending 6791 (credit_card_3951670)')
  })
})

describe('addresses given in part', () => {
  test('no state and no country ("101 Highway, New York, 10001"): the zip code\'s state and the USA, shown before the yes', async () => {
    const c = await converse(retail.fx, ['Ethan Garcia, zip code 80280. Please change my default address to 101 Highway, New York, 10001.', 'Yes.'])
    expect(c.replies[0]?.text).toContain('101 Highway, New York, NY 10001, USA')
    expect(writesOf(c)).toEqual([['modify_user_address', {
      user_id: 'ethan_garcia_1261', address1: '101 Highway', address2: '', city: 'New York', state: 'NY', country: 'USA', zip: '10001',
    }]])
  })

  test('the default address and all order addresses in one request, each confirmed; then "change it back to the original address"', async () => {
    const c = await converse(retail.fx, [
      'Ethan Garcia, zip code 80280. I want to change my user address and all possible order addresses to 101 Highway, New York, 10001.',
      'Yes.',
      'Yes.',
      'I regret it, please change my user address back to the original address.',
      'Yes.',
    ])
    const to = { address1: '101 Highway', address2: '', city: 'New York', state: 'NY', country: 'USA', zip: '10001' }
    expect(writesOf(c)).toEqual([
      ['modify_user_address', { user_id: 'ethan_garcia_1261', ...to }],
      ['modify_pending_order_address', { order_id: '#W9911714', ...to }],
      ['modify_user_address', { user_id: 'ethan_garcia_1261', address1: '667 Highland Drive', address2: 'Suite 865', city: 'Denver', state: 'CO', country: 'USA', zip: '80280' }],
    ])
    expect((await user('ethan_garcia_1261')).address.city).toBe('Denver')
  })

  test('a full state name ("Fort Worth, Texas, 76165") is read as its code', async () => {
    const c = await converse(retail.fx, ['Mei Patel, zip code 76165. Please update my default address to 445 Maple Drive, Suite 394, Fort Worth, Texas, 76165.', 'Yes.'])
    expect(writesOf(c)).toEqual([['modify_user_address', {
      user_id: 'mei_patel_7272', address1: '445 Maple Drive', address2: 'Suite 394', city: 'Fort Worth', state: 'TX', country: 'USA', zip: '76165',
    }]])
  })
})
