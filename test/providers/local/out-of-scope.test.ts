// The topic boundary on data it was not trained on: CLINC150's out-of-scope validation queries are caught,
// held-out Bitext support messages are not, and the AgentPolicy's action picks the verdict.
import { describe, expect, test } from 'bun:test'
import { checkTopic, evaluateOutOfScope } from '../../../providers/local/index.ts'

// Training the two models takes seconds on a busy 2-core machine.
const TRAINING_MS = 60_000

describe('out-of-scope detection', () => {
  const evaluation = evaluateOutOfScope()

  test('at least 95% of CLINC150 out-of-scope validation queries are out of scope', () => {
    expect(evaluation.sizes.oosValidation).toBe(100)
    expect(evaluation.oosValidationDetected).toBeGreaterThanOrEqual(0.95)
    expect(evaluation.otherDomainsDetected).toBeGreaterThanOrEqual(0.98)
  })

  test('at most 2% of held-out Bitext retail utterances are rejected', () => {
    expect(evaluation.sizes.bitextHeldOut).toBeGreaterThan(700)
    expect(evaluation.bitextHeldOutRejected).toBeLessThanOrEqual(0.02)
    expect(evaluation.dialogueOpeningsRejected).toBeLessThanOrEqual(0.12)
  })

  test('the policy action decides the verdict; retail requests pass', () => {
    expect(checkTopic('what is the capital of france').verdict).toBe('block')
    expect(checkTopic('can you recommend a recipe for lasagna', 'handoff')).toMatchObject({ verdict: 'escalate', inScope: false, action: 'handoff' })
    const retail = checkTopic('I want to return the hiking boots from order #W2378156')
    expect([retail.verdict, retail.inScope]).toEqual(['allow', true])
    expect(retail.intent).toBe('return_order')
  }, TRAINING_MS)

  test('what happened to the customer\'s own order, and figures about their refunds and gift card, are in scope', () => {
    for (const text of ['I received two tablets and I only need one.', 'I want to know my gift card balance after all these changes are complete.', 'Finally, I want to know the total refund amount.', 'At the end of the day, can you tell me how much money I will get back.']) {
      expect(checkTopic(text)).toMatchObject({ verdict: 'allow', inScope: true })
    }
    expect(checkTopic('I just bought a house, what is a good mortgage rate?').inScope).toBe(false)
  }, TRAINING_MS)

  test('a customer identifying their account is in scope, and what else the message asks is judged on its own', () => {
    for (const text of ['Hi, my email is mei.kim3934@example.com', "I'm Mei Kim, zip code 10201.", 'my user id is mei_kim_3337',
      "I'm Mei Kim, my email is mei.kim3934@example.com. I no longer need the hiking boots and the keyboard.",
      'What did I pay for the items in #W1234567 besides the kettle?']) {
      expect(checkTopic(text)).toMatchObject({ verdict: 'allow', inScope: true })
    }
    for (const text of ['my email is mei.kim3934@example.com, write me a poem about cats', "I'm Mei Kim, zip code 10201. What is the weather in Paris?"]) {
      expect(checkTopic(text).inScope).toBe(false)
    }
  }, TRAINING_MS)
})
