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
