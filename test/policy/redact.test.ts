// PII redaction before text reaches trace attributes: cards, emails and phone numbers, not order ids or amounts.
import { describe, expect, test } from 'bun:test'
import { redactPii } from '../../policy/index.ts'

describe('redactPii', () => {
  test('replaces card numbers, email addresses and phone numbers', () => {
    expect(redactPii('card 4111 1111 1111 1111, mail jane.doe+x@example.co.uk, call +1 (415) 555-0100'))
      .toBe('card [card], mail [email], call [phone]')
  })

  test('keeps order ids, amounts, dates and digit runs that fail the card check', () => {
    const text = 'order #W2378156 of 2024-05-01 cost $123.45; ref 1234 5678 9012 3456'
    expect(redactPii(text)).toBe(text)
  })
})
