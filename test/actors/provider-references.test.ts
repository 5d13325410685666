// Model calls by reference: a provider job (here on a vendor's queue, `openai`) carries the conversation's message ids
// and the turn's step, never the customer's words. The provider actor rebuilds the prompt from Postgres (the context window's messages, earlier
// turns' tool calls and results, this turn's recorded steps), so the model still sees the whole conversation.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { Queue } from 'bullmq'
import type { ModelGateway, ProviderMessage } from '../../providers/index.ts'
import { names } from '../../queues/index.ts'
import { scriptedGateway, startObserved, type ObservedPlatform } from '../observability/harness.ts'

let h: ObservedPlatform
/** Every prompt the model was given, in order. */
const prompts: ProviderMessage[][] = []

function recordingGateway(): ModelGateway {
  const inner = scriptedGateway()
  return { vendors: () => [{ vendor: 'openai', path: [] }], complete: (req, ctx) => (prompts.push(req.messages), inner.complete(req, ctx)) }
}

// Configured, so the worker serves its queue; never called (the recording gateway answers).
const OPENAI = JSON.stringify([{ vendor: 'openai', apiKey: 'sk-references-test-0000', baseUrl: 'http://127.0.0.1:9/v1' }])

beforeAll(async () => {
  h = await startObserved({ gateway: recordingGateway() }, { ROUTING_PROVIDERS: OPENAI })
})

afterAll(() => h.close())

// Words only this customer wrote: found in the prompts, never in a queue.
const FIRST = 'Where is my order? Ask for Zebediah Quartermaine'
const SECOND = 'Thanks, Zebediah again: is it insured?'

test('provider jobs hold ids and the step, no customer text; the model still sees every word and tool result', async () => {
  const conversationId = await h.newConversation()
  const first = await h.post(conversationId, FIRST)
  await h.waitForReply(first)
  const second = await h.post(conversationId, SECOND)
  await h.waitForReply(second)

  // The scripted model asks for lookup_order on "order", then answers from the tool's result: its second prompt
  // ends with that result, rebuilt from the turn's tool step; the next turn's prompt holds the first turn's words
  // and its tool call and result (the reply step's transcript), rebuilt from their ids.
  expect(prompts).toHaveLength(3)
  expect(prompts[0]!.at(-1)).toMatchObject({ role: 'user', content: FIRST })
  expect(prompts[1]!.at(-1)).toMatchObject({ role: 'tool', name: 'lookup_order' })
  expect(prompts[1]!.at(-1)!.content).toContain('shipped')
  const third = prompts[2]!
  expect(third.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user'])
  expect(third[0]!.content).toBe(FIRST)
  expect(third.at(-1)!.content).toBe(SECOND)

  const queue = new Queue(names.providerPool('openai'), { connection: { url: h.redis.url }, prefix: h.redis.prefix })
  try {
    const jobs = await queue.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed'])
    expect(jobs.map((j) => j.id).sort()).toEqual([`${first}.model.1`, `${first}.model.2`, `${second}.model.1`].sort())
    for (const job of jobs) {
      const stored = JSON.stringify(job.data)
      for (const words of ['Zebediah', 'Where is my', 'insured', 'shipped', 'lookup_order']) expect(stored).not.toContain(words)
      expect(job.data.payload.context).toContain(job.data.payload.turnId)
    }
    // The second turn names the first turn's transcript entries by reference.
    const later = jobs.find((j) => j.id === `${second}.model.1`)!
    expect(later.data.payload.context).toEqual(expect.arrayContaining([first, `${first}.t0`, `${first}.t1`, second]))
  } finally {
    await queue.close()
  }
})
