// The new variant said in the customer's words rather than the catalogue's ("medium sized" for size M,
// "two-piece", "soft material" for softshell), each item's wish in its own part of one message, and "the same
// type as the one I received": against the real retail tools on a seeded Postgres schema, every write confirmed first.
import { describe, expect, test } from 'bun:test'
import { converse, useRetailFixture, writesOf } from './retail-conversation.ts'

const retail = useRetailFixture()
const said = (c: { replies: { text: string }[] }): string => c.replies.map((r) => r.text).join('\n')

describe('the new variant in the customer\'s words', () => {
  test('one message, two items in two orders: "a medium sized, red, high ventilation" helmet and "a two-piece black one with soft material" luggage set', async () => {
    const c = await converse(retail.fx, [
      'Sofia Hernandez, zip code 98193. I want to exchange the helmet for a medium sized, red, high ventilation type, and I want to exchange the luggage set (in another order) to a two-piece black one with soft material.',
      'Yes, keep looking.',
      'Credit card.',
      'Yes.',
      'Credit card.',
      'Yes.',
    ])
    expect(said(c)).toContain('Cycling Helmet (M, red, high), item 8573379326')
    expect(said(c)).toContain('Luggage Set (2-piece, black, softshell), item 8926329222')
    expect(writesOf(c).map(([, args]) => (args as { new_item_ids: string[] }).new_item_ids)).toEqual([['8926329222'], ['8573379326']])
  })

  test('"modify the grill in my pending order to the same type as the one I already received": the pending one, into the delivered one\'s variant', async () => {
    const c = await converse(retail.fx, [
      'Sofia Hernandez, zip code 98193. I want to modify the grill in my pending order to the same type as the one I already received.',
      'Yes, keep looking.',
      'Credit card.',
    ])
    expect(said(c)).toContain('Grill (gas, portable, none), item 5946177616, $1057.24 → Grill (charcoal, medium, rotisserie), item 7082455361')
    expect(c.writes).toEqual([])
  })

  test('"the garden hose I received for the type that is in my pending order": the received one is changed, into the pending one\'s variant', async () => {
    const c = await converse(retail.fx, [
      'Isabella Johansson, zip code 32286. I want to exchange the garden hose I received for the type that is in my pending order.',
      'Yes, keep looking.',
    ])
    expect(said(c)).toContain('exchange in order #W7181492: Garden Hose (25ft, rubber, green), item 5753502325, $96.35 → Garden Hose (50ft, vinyl, black), item 5206946487')
    expect(c.writes).toEqual([])
  })
})

describe('a proposal revised before the yes', () => {
  test('"I change my mind to using PayPal, and also decide to only modify the backpack": the same order, a new proposal, written only after its yes', async () => {
    const c = await converse(retail.fx, [
      'Ivan Khan, zip code 28243. I sent an order to my son\'s address in Washington DC by mistake, please change it to my default address.',
      'Yes, keep looking.',
      'Yes.',
      'I also want to adjust the desk lamp to be black color, and the backpack to be medium size and polyester material instead. If multiple colors are available for the backpack, I prefer grey.',
      'Gift card.',
      'I change my mind to using PayPal, and also decide to only modify the backpack.',
    ])
    const last = c.replies.at(-1)?.text ?? ''
    expect(last).toContain('To confirm, modify in order #W5270061: Backpack (navy, small, nylon, laptop), item 2492465580, $201.95 → Backpack (grey, medium, polyester, laptop), item 5917587651')
    expect(last).not.toContain('Desk Lamp')
    expect(last).toContain('paypal_7729105')
    expect(c.writes.map((w) => w.name)).toEqual(['modify_pending_order_address'])
    const done = await converse(retail.fx, ['Yes.'], c.messages)
    expect(writesOf(done)).toEqual([['modify_pending_order_items', {
      order_id: '#W5270061', item_ids: ['2492465580'], new_item_ids: ['5917587651'], payment_method_id: 'paypal_7729105',
    }]])
  })
})

describe('which item', () => {
  test('"the speaker that is more expensive" of two in one order: the pricier one is proposed for return', async () => {
    const c = await converse(retail.fx, ['aarav.santos8320@example.com. I want to return the speaker that is more expensive in order #W8528674.'])
    expect(c.replies.at(-1)?.text).toContain('To confirm, return from order #W8528674: Bluetooth Speaker (blue, 10 hours, no), item 6704763132, $305.45')
    expect(c.writes).toEqual([])
  })
})
