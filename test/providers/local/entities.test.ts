// Retail entity extraction: the τ²-bench id formats, emails, name + zip, confirmations and reasons.
import { describe, expect, test } from 'bun:test'
import { extractEntities } from '../../../providers/local/index.ts'

describe('extractEntities', () => {
  test('order ids, with or without #, normalised to #W…', () => {
    expect(extractEntities('orders W2378156, #W7678072 and # W1234567').orderIds).toEqual(['#W2378156', '#W7678072', '#W1234567'])
    expect(extractEntities('order W12345678').orderIds).toEqual([]) // 8 digits is not an order id
  })

  test('emails are lower-cased', () => {
    expect(extractEntities('reach me at Noah.Brown7922@Example.com.').emails).toEqual(['noah.brown7922@example.com'])
  })

  test('first and last name with a 5-digit zip', () => {
    for (const text of ['my name is yusuf rossi and my zip is 19122', "I'm Yusuf Rossi, zip code 19122", 'Yusuf Rossi 19122']) {
      const e = extractEntities(text)
      expect(e.name).toEqual({ firstName: 'Yusuf', lastName: 'Rossi' })
      expect(e.zip).toBe('19122')
    }
    expect(extractEntities('I am looking for my order').name).toBeUndefined()
    expect(extractEntities('order #W2378156').zip).toBeUndefined()
  })

  test('10-digit ids are products after the word "product", items otherwise', () => {
    const e = extractEntities('swap item 1008292230 of product id 9523456873')
    expect(e.itemIds).toEqual(['1008292230'])
    expect(e.productIds).toEqual(['9523456873'])
  })

  test('payment method and user ids', () => {
    const e = extractEntities('use gift_card_7219486, not credit_card_9513926 or paypal_5727330; I am yusuf_rossi_9620')
    expect(e.paymentMethodIds).toEqual(['gift_card_7219486', 'credit_card_9513926', 'paypal_5727330'])
    expect(e.userIds).toEqual(['yusuf_rossi_9620'])
  })

  test('payment methods named by kind, "GC" for a gift card', () => {
    expect(extractEntities('refund to GC please').paymentKinds).toEqual(['gift_card'])
    expect(extractEntities('my PayPal, not the gift card').paymentKinds).toEqual(['paypal', 'gift_card'])
  })

  test('confirmations, refusals and cancellation reasons', () => {
    expect(extractEntities('yes, it is no longer needed')).toMatchObject({ affirmative: true, cancelReason: 'no longer needed' })
    expect(extractEntities('No, wait').affirmative).toBe(false)
    expect(extractEntities('I ordered it by mistake').cancelReason).toBe('ordered by mistake')
    expect(extractEntities('return all items').allItems).toBe(true)
  })
})
