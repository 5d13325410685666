// Personal data on the retail data: found where it is, not in ids and amounts, and redaction restores
// exactly (the model's tool-call arguments get the real values back).
import { describe, expect, test } from 'bun:test'
import { findPii, redactWithMapping, restoreArguments, restorePii, checkPii } from '../../../policy/index.ts'
import { loadDialogues } from '../../../bench/guardrails/corpora.ts'

const customerMessages = loadDialogues().flat().filter((m) => m.role === 'user').map((m) => m.text)

describe('PII', () => {
  test('finds each kind and leaves order ids, item ids, amounts, zip codes and dates alone', () => {
    const text = 'Email jane.doe@example.com or call (415) 555-0100; card 4111 1111 1111 1111; ship to 710 Sunset Drive, Suite 176. ' +
      'Order #W2378156, item 7751905257, $1,095.55, zip 85034, on 2024-05-01, payment credit_card_8897086.'
    expect(findPii(text).map((s) => [s.kind, s.value])).toEqual([
      ['email', 'jane.doe@example.com'], ['phone', '(415) 555-0100'], ['card', '4111 1111 1111 1111'], ['address', '710 Sunset Drive, Suite 176'],
    ])
  })

  test('every customer message of the dialogues round-trips through redaction', () => {
    let mapping = {}
    let redacted = 0
    for (const text of customerMessages) {
      const r = redactWithMapping(text, mapping)
      mapping = r.mapping
      if (r.found.length > 0) redacted++
      expect(restorePii(r.text, r.mapping)).toBe(text)
    }
    expect(redacted).toBeGreaterThanOrEqual(36) // the emails customers give to authenticate, and addresses
    expect(Object.values(mapping).every((v) => !/^#?W\d{7}$/.test(v as string))).toBe(true)
  })

  test('placeholders are stable across a conversation and restore into tool-call arguments', () => {
    const first = redactWithMapping('I am yusuf.rossi7301@example.com')
    const second = redactWithMapping('again: yusuf.rossi7301@example.com, phone +1 212 555 0199', first.mapping)
    expect(second.text).toBe('again: [email_1], phone [phone_1]')
    const args = { email: '[email_1]', contact: { phone: '[phone_1]' }, list: ['[email_1]', '[email_9]'] }
    expect(restoreArguments(args, second.mapping)).toEqual({
      email: 'yusuf.rossi7301@example.com', contact: { phone: '+1 212 555 0199' }, list: ['yusuf.rossi7301@example.com', '[email_9]'],
    })
  })

  test('a card number blocks; other personal data is reported and allowed', () => {
    expect(checkPii('my card is 4111-1111-1111-1111').verdict).toBe('block')
    expect(checkPii('my card is 4111-1111-1111-1112').verdict).toBe('allow') // fails the Luhn check
    expect(checkPii('my email is a@b.co').found).toEqual(['email'])
  })
})
