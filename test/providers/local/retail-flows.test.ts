// The local provider's retail flows against the real retail tools on a seeded Postgres schema, with the
// AgentPolicy's confirmation rule applied at every write: each action of the domain, confirmation before
// every write, identity first or request first, several requests, corrections, bounded questions.
import { describe, expect, test } from 'bun:test'
import { checkGrounding } from '../../../policy/index.ts'
import { converse, lookup, useRetailFixture, writesOf } from './retail-conversation.ts'

const retail = useRetailFixture()
const order = (id: string) => lookup<Record<string, unknown>>(retail.fx, 'get_order_details', { order_id: id })
describe('exchanges and item changes', () => {
  test('identity first, items and new variants named in words, the policy payment question, then one exchange', async () => {
    const c = await converse(retail.fx, [
      "I'm Yusuf Rossi, zip code 19122. I received my order #W2378156 and wish to exchange the mechanical keyboard for the same one but with clicky switches and the smart thermostat for one compatible with Google Home instead of Apple HomeKit.",
      "I'd go for no backlight.",
      'Yes.',
    ])
    expect(c.replies[0]?.text).toContain('is not available') // no clicky RGB full-size keyboard: said, not guessed
    expect(writesOf(c)).toEqual([['exchange_delivered_order_items', {
      order_id: '#W2378156', item_ids: ['1151293680', '4983901480'], new_item_ids: ['7706410293', '7747408585'], payment_method_id: 'credit_card_9513926',
    }]])
    expect((await order('#W2378156')).status).toBe('exchange requested')
  })

  test('a pending order\'s item changes to a named item id, settled with the gift card the customer chose', async () => {
    const c = await converse(retail.fx, ['Ethan Garcia, zip code 80280.', 'I want to change the running shoes in order #W9911714 to item 4107812777, paying with my gift card.', 'Yes'])
    expect(writesOf(c)).toEqual([['modify_pending_order_items', {
      order_id: '#W9911714', item_ids: ['9791469541'], new_item_ids: ['4107812777'], payment_method_id: 'gift_card_4332117',
    }]])
  })

  test('two lines of the same product named in the singular: it asks which, it does not pick one', async () => {
    const c = await converse(retail.fx, ['Daiki Johnson, zip code 80273.', 'I want to return a vacuum cleaner from order #W9502127.'])
    expect(c.replies.at(-1)?.decision.reason).toBe('need_items')
    expect(c.replies.at(-1)?.text).toContain('more than one Vacuum Cleaner')
    expect(c.writes).toEqual([])
  })
  test('"I\'d rather only exchange the thermostat": the request narrows to the items of the latest "only"', async () => {
    const c = await converse(retail.fx, [
      "I'm Yusuf Rossi, zip code 19122. I received my order #W2378156 and wish to exchange the mechanical keyboard for the same one but with clicky switches and the smart thermostat for one compatible with Google Home instead of Apple HomeKit.",
      "I'd rather only exchange the thermostat.",
      'Yes.',
    ])
    expect(c.replies[1]?.text).not.toContain('Mechanical Keyboard')
    expect(writesOf(c)).toEqual([['exchange_delivered_order_items', {
      order_id: '#W2378156', item_ids: ['4983901480'], new_item_ids: ['7747408585'], payment_method_id: 'credit_card_9513926',
    }]])
  })
  test('a relative wish with a ranking ("less bright, prefer AC adapter > battery > USB") is read: one step down, the first preference, shown before the yes', async () => {
    const c = await converse(retail.fx, ['I want to exchange the desk lamp in order #W6390527 for a less bright one (prefer AC adapter > battery > USB). Mei Kovacs, zip code 28236.', 'Yes please.'])
    expect(c.replies[0]?.text).toContain('Desk Lamp (silver, low, AC adapter), item 1569765161')
    expect(c.writes.map((w) => w.arguments.new_item_ids)).toEqual([['1569765161']])
  })

  test('"1000 more pieces, the same difficulty, I prefer animal than art theme": the step stated, the preference between two values', async () => {
    const c = await converse(retail.fx, ['Sofia Li, zip code 78260. I want to exchange the jigsaw puzzle in order #W3916020: I want the same difficulty, but 1000 more pieces, and I prefer animal than art theme.', 'credit_card_8105988, please.'])
    expect(c.replies.at(-1)?.text).toContain('Jigsaw Puzzle (1500, animals, intermediate), item 6245746168')
    expect(c.writes).toEqual([])
  })

  test('a relative word for an option the product does not have is offered as options, never chosen', async () => {
    const c = await converse(retail.fx, ['I want to exchange the desk lamp in order #W6390527 for a longer one. Mei Kovacs, zip code 28236.', 'Yes please.'])
    expect(c.replies[0]?.decision.reason).toBe('need_new_item')
    expect(c.writes).toEqual([])
  })

  test('a proposal for several items states only amounts the platform\'s grounding check can trace', async () => {
    const c = await converse(retail.fx, [
      "I'm Yusuf Rossi, zip code 19122. I received my order #W2378156 and wish to exchange the mechanical keyboard for the same one but with clicky switches and the smart thermostat for one compatible with Google Home instead of Apple HomeKit.",
      "I'd go for no backlight.",
    ])
    const proposal = c.replies[1]?.text ?? ''
    expect(proposal).toContain('the new items total $')
    const toolResults = c.messages.flatMap((m) => (m.role === 'tool' ? [m.content] : []))
    expect(checkGrounding(proposal, { toolResults }).verdict).toBe('allow')
  })
})

describe('returns, cancellations, addresses, payment', () => {
  test('request first, then identity; everything except one item; the refund to the original method', async () => {
    const c = await converse(retail.fx, ['I want to return everything in order #W5272531 except the coffee machine.', 'fatima.wilson5721@example.com', 'yes'])
    expect(writesOf(c)).toEqual([['return_delivered_order_items', {
      order_id: '#W5272531', item_ids: ['3320557165', '2698416822', '8098621301', '7228247242'], payment_method_id: 'credit_card_6824399',
    }]])
  })

  test('several requests, each with its own confirmation; a correction to the other order; a clean context between them', async () => {
    const c = await converse(retail.fx, [
      'Hi, I am Yara Muller, my email is yara.muller9246@example.com.',
      'For order #W5056519, I want to change the address to be the same as order #W8277957.',
      'yes',
      'I also want to cancel order #W5056519 because I ordered it by mistake.',
      'No, the other order.',
      'Yes.',
      'thanks, that is all',
    ])
    expect(writesOf(c)).toEqual([
      ['modify_pending_order_address', { order_id: '#W5056519', address1: '380 Maple Drive', address2: 'Suite 960', city: 'San Diego', state: 'CA', country: 'USA', zip: '92101' }],
      ['cancel_pending_order', { order_id: '#W5995614', reason: 'ordered by mistake' }],
    ])
    expect((await order('#W5056519')).status).toBe('pending') // the rejected proposal was never carried out
    expect(c.replies.at(-1)?.decision.reason).toBe('closing')
  })

  test('"all my pending orders": one order at a time, each shown and confirmed on its own', async () => {
    const c = await converse(retail.fx, ['I want to cancel all my pending orders, they are no longer needed. Fatima Johnson, zip code 78712.', 'Yes please.', 'Yes.'])
    expect(writesOf(c)).toEqual([
      ['cancel_pending_order', { order_id: '#W5199551', reason: 'no longer needed' }],
      ['cancel_pending_order', { order_id: '#W8665881', reason: 'no longer needed' }],
    ])
    expect(c.replies[1]?.text).toMatch(/^Order #W5199551 is now cancelled\..*To confirm: cancel order #W8665881/)
  })

  test('the one order holding the item named, in another status: said why, not asked for an order id', async () => {
    const c = await converse(retail.fx, ["Good morning. I'm Emma Smith, zip code 10192. I want to return an item I just received: a laptop."])
    expect(c.replies[0]?.decision.reason).toBe('status_pending')
    expect(c.replies[0]?.text).toContain('Order #W2417020 is pending')
    expect(c.writes).toEqual([])
  })

  test('"see if it can be canceled" after that answer: a cancellation of the order just spoken about, not the last one loaded', async () => {
    const c = await converse(retail.fx, ["Good morning. I'm Emma Smith, zip code 10192. I want to return an item I just received: a laptop.", 'See if it can be canceled.'])
    expect(c.replies[1]?.decision.reason).toBe('need_cancel_reason')
    expect(c.replies[1]?.text).toStartWith('Order #W2417020 is pending and can be cancelled')
    expect(c.writes).toEqual([])
  })

  test('items named across orders, each product in one order only: order by order, each proposal confirmed', async () => {
    const c = await converse(retail.fx, ['I want to return the skateboard and the garden hose. Isabella Johansson, zip code 32286.', 'Yes', 'Yes', 'Yes'])
    expect(writesOf(c)).toEqual([
      ['return_delivered_order_items', { order_id: '#W3792453', item_ids: ['4293355847'], payment_method_id: 'paypal_3024827' }],
      ['return_delivered_order_items', { order_id: '#W7181492', item_ids: ['5753502325'], payment_method_id: 'paypal_3024827' }],
    ])
  })

  test('items across orders, one of them "in the same order": the bookshelf another delivered order also holds is not returned from it after the first', async () => {
    const c = await converse(retail.fx, ["I'm Lucas Brown, my email is lucas.brown9344@example.com. I want to return the bookshelf and jigsaw I received in the same order.", 'Yes', 'Yes', 'Yes'])
    expect(writesOf(c)).toEqual([['return_delivered_order_items', { order_id: '#W6239298', item_ids: ['4900661478', '3614853563'], payment_method_id: 'credit_card_2112420' }]])
  })

  test('"the keyboard and bed": a three-letter word of a product name names it (Pet Bed)', async () => {
    const c = await converse(retail.fx, ['Isabella Johansson, zip code 32286. I want to return the keyboard and bed.', 'Yes', 'Yes'])
    expect(writesOf(c)).toEqual([['return_delivered_order_items', { order_id: '#W5565470', item_ids: ['9570044148', '6857426243'], payment_method_id: 'paypal_3024827' }]])
  })

  test('a product that two delivered orders hold is not guessed: the customer is asked which order', async () => {
    const c = await converse(retail.fx, ['I want to return the smart watch and the cycling helmet. Ava Nguyen, zip code 78786.', 'Yes', 'Yes'])
    expect(c.replies.some((r) => r.decision.reason === 'need_order_id')).toBe(true)
    expect(c.writes).toEqual([])
  })

  test('two order ids in one request for one order ("the older one"): it asks which, it does not take the first', async () => {
    const c = await converse(retail.fx, ['I\'m Yusuf Taylor, zip code 95154. My two orders, #W2702727 and #W8268610, are both pending. I want to cancel the older order, I no longer need it.', 'Yes'])
    expect(c.replies[0]?.decision.reason).toBe('need_order_id')
    expect(c.writes).toEqual([])
  })

  test('"not yet: I also want to return …" widens the proposal, shown again before the yes; "I regret" takes it back', async () => {
    const c = await converse(retail.fx, ['Mei Ahmed, zip code 78705. I want to return the two skateboards I just bought.', 'Not yet: I also want to return the smart watch.', 'Yes'])
    expect(writesOf(c)).toEqual([['return_delivered_order_items', { order_id: '#W7553978', item_ids: ['4545791457', '3098764622', '1631806422'], payment_method_id: 'credit_card_5902940' }]])
    const kept = await converse(retail.fx, ['Cancel order #W5995614, I ordered it by mistake. My email is yara.muller9246@example.com', 'I regret and want to keep it.'])
    expect(kept.replies[1]?.decision.reason).toBe('declined:cancel_pending_order')
    expect(kept.writes).toEqual([])
  })

  test('a no to a proposal changes nothing and closes the task', async () => {
    const c = await converse(retail.fx, ['Cancel order #W5995614, I ordered it by mistake. My email is yara.muller9246@example.com', 'no'])
    expect(c.replies[0]?.text).toContain('Please reply "yes" to confirm')
    expect(c.replies[1]?.decision.reason).toBe('declined:cancel_pending_order')
    expect(c.writes).toEqual([])
  })

  test('"my NYC address": the one known address in that city, for the order holding the laptop', async () => {
    const c = await converse(retail.fx, ['I want to modify my laptop order to my NYC address. Yara Silva, zip code 77159.', 'Yes', 'Yes'])
    expect(writesOf(c)).toEqual([['modify_pending_order_address', {
      order_id: '#W3730488', address1: '555 Highland Drive', address2: 'Suite 872', city: 'New York', state: 'NY', country: 'USA', zip: '10116',
    }]])
  })

  test('a default address typed in one line, every field shown before the yes', async () => {
    const c = await converse(retail.fx, ['I want to change my default address to 123 Main St, Apt 4, Austin, TX 78701, USA. My email is amelia.kim6460@example.com', 'yes'])
    for (const part of ['amelia_kim_4338', '123 Main St', 'Apt 4', 'Austin', 'TX', '78701', 'USA']) expect(c.replies[0]?.text).toContain(part)
    expect(writesOf(c)).toEqual([['modify_user_address', { user_id: 'amelia_kim_4338', address1: '123 Main St', address2: 'Apt 4', city: 'Austin', state: 'TX', country: 'USA', zip: '78701' }]])
  })

  test('a gift card that cannot cover the order is refused with its balance, and nothing changes', async () => {
    const c = await converse(retail.fx, ['Please pay for my pending order with my gift card instead. My email is amelia.kim6460@example.com', 'yes'])
    expect(c.replies[0]?.text).toContain('balance of $17.00')
    expect(c.writes).toEqual([])
  })

  test('a pending order paid with another method on the profile, found among four orders over two turns', async () => {
    const c = await converse(retail.fx, ['I want to change the payment method of my pending order to my PayPal account. sofia.li7352@example.com', 'Yes', 'Yes'])
    expect(c.replies[0]?.decision.reason).toBe('lookups_continue') // a turn has six model steps: it says so and goes on
    expect(writesOf(c)).toEqual([['modify_pending_order_payment', { order_id: '#W8855135', payment_method_id: 'paypal_8194385' }]])
  })
})

describe('questions, handoffs, identity', () => {
  test('a product question needs no account and is answered from the product\'s variants', async () => {
    const c = await converse(retail.fx, ['How much is a bluetooth speaker, what options are available?'])
    expect(c.messages.flatMap((m) => (m.role === 'tool' ? [m.name] : []))).toEqual(['list_all_product_types', 'get_product_details'])
    expect(c.replies[0]?.text).toContain('$271.89') // the cheapest available variant's price, from the tool
  })

  test('the same unanswered question twice, then a handoff with the reason as its category', async () => {
    const c = await converse(retail.fx, ['I want to return something', 'sofia.li7352@example.com', 'I do not know', 'I am not sure', 'whatever'])
    expect(c.escalated).toMatch(/^pending_clarification: need_order_id/)
  })

  test('an introduction alone is verified and answered with a question, not sent to password help or a person', async () => {
    const c = await converse(retail.fx, ["Hi, I'm Yusuf Rossi, zip code 19122."])
    expect(c.replies[0]?.decision).toMatchObject({ action: 'reply', reason: 'identified' })
  })

  test('earlier conversations are context, not authentication: nothing is looked up before this conversation\'s identity', async () => {
    const c = await converse(retail.fx, ['Where is my order #W2378156?'], [
      { role: 'assistant', content: 'Thanks, Yusuf, I have verified your account. What can I help you with today?' },
    ])
    expect(c.messages.filter((m) => m.role === 'tool')).toEqual([])
    expect(c.replies[0]?.decision.reason).toBe('need_authentication')
  })
})
