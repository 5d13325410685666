// Brand voice, sentiment, loops and the confidence score: ordinary dialogue replies and customers pass;
// a looping conversation, an angry customer and an unsupported claim each escalate with their reason.
import { describe, expect, test } from 'bun:test'
import { AI_DISCLOSURE, checkBrandVoice, checkLoop, checkSentiment, scoreConfidence, type ConfidenceReason } from '../../../policy/index.ts'
import { loadDialogues } from '../../../bench/guardrails/corpora.ts'
import { evaluateBrandVoice, evaluateSentiment } from '../../../bench/guardrails/evaluation.ts'

describe('brand voice', () => {
  test('the dialogues\' replies are on brand with the default rules', () => {
    expect(evaluateBrandVoice()).toEqual({ replies: 503, flagged: 0 })
  })

  test('banned phrases, a missing first-reply disclosure, shouting, blame and length are each reported', () => {
    const settings = { bannedPhrases: ['no problem', 'guarantee'], requiredDisclosures: [AI_DISCLOSURE], maxLength: 120 }
    const reply = 'NO PROBLEM AT ALL, as I already said, we Guarantee delivery. '.repeat(2)
    const result = checkBrandVoice(reply, settings, { firstReply: true })
    expect(result.verdict).toBe('regenerate')
    expect(result.violations.map((v) => v.rule)).toEqual(['banned_phrase', 'banned_phrase', 'missing_disclosure', 'shouting', 'blame', 'too_long'])
    expect(result.missingDisclosures).toEqual(["I'm an AI assistant."])
    expect(checkBrandVoice("Hi, I'm a virtual assistant. How can I help?", settings, { firstReply: true }).verdict).toBe('allow')
    expect(checkBrandVoice('How can I help?', settings, { firstReply: false }).verdict).toBe('allow')
  })

  test('the catalogue\'s acronyms are no shouting', () => {
    const options = 'Air Purifier (medium, HEPA, night mode), $492.65; Air Purifier (large, HEPA, quiet operation); Smartwatch (AMOLED, GPS).'
    expect(checkBrandVoice(options).verdict).toBe('allow')
    expect(checkBrandVoice(`GREAT NEWS: ${options}`).violations.map((v) => v.detail)).toEqual(['capitalised: GREAT, NEWS'])
  })
})

describe('sentiment and loops', () => {
  test('complaints score lower than other Bitext requests; few dialogue customers read as upset', () => {
    const s = evaluateSentiment()
    expect(s.complaintMean).toBeLessThan(s.otherMean)
    expect(s.otherUpset).toBeLessThan(0.05)
    expect(s.dialogueCustomerUpset).toBeLessThan(0.01)
  })

  test('no dialogue is a loop; the same question asked three times is', () => {
    for (const d of loadDialogues()) {
      const customer = d.filter((m) => m.role === 'user').map((m) => m.text)
      customer.forEach((_, i) => expect(checkLoop({ customerMessages: customer.slice(0, i + 1) }).verdict).toBe('allow'))
    }
    const ask = 'Where is my order #W2378156? It still has not arrived.'
    const loop = checkLoop({ customerMessages: [ask, 'my email is yusuf.rossi7301@example.com', ask, `${ask}!`] })
    expect([loop.verdict, loop.repeats]).toEqual(['escalate', 2])
  })
})

describe('confidence', () => {
  const ask = 'I asked this already: where is my order #W2378156?'
  const cases: Array<[string, Parameters<typeof scoreConfidence>[0], ConfidenceReason]> = [
    ['a looping conversation', { loop: checkLoop({ customerMessages: [ask, ask, ask] }).score }, 'conversation_loop'],
    ['an angry customer', { sentiment: checkSentiment('This is ridiculous, the THIRD time I ask and nobody helps! Unacceptable.').compound }, 'negative_sentiment'],
    ['an unsupported claim', { grounding: { coverage: 0.75, unsupported: 1 } }, 'unsupported_claim'],
    ['a refund near the cap', { limits: [{ name: 'refund_usd', used: 480, limit: 500 }] }, 'near_policy_limit'],
    ['an unsure intent', { intentConfidence: 0.05 }, 'low_intent_confidence'],
  ]
  for (const [name, signals, category] of cases) {
    test(`${name} crosses the threshold and escalates as ${category}`, () => {
      const r = scoreConfidence(signals)
      expect([r.verdict, r.category]).toEqual(['escalate', category])
    })
  }

  test('an ordinary turn stays above the threshold', () => {
    const r = scoreConfidence({ intentConfidence: 0.8, grounding: { coverage: 1, unsupported: 0 }, sentiment: 0.2, loop: 0, limits: [{ name: 'turns', used: 3, limit: 20 }] })
    expect(r.verdict).toBe('allow')
    expect(r.score).toBeGreaterThan(0.85)
  })
})
