// A worker process for rate-limit.test.ts: hammers the `openai` provider through its own routing gateway and
// Redis connection, then prints how many calls were accepted and refused as one JSON line on stdout.
import Redis from 'ioredis'
import { createOpenAIProvider, createRoutingGateway } from '../../../providers/index.ts'
import { createRoutingState } from '../../../storage/index.ts'
import { silentLog, testPolicy } from './routing-fixture.ts'

const { REDIS_URL, PREFIX, EMU_URL, START_AT, CALLS, RPM, WINDOW_MS } = process.env
const redis = new Redis(REDIS_URL!, { maxRetriesPerRequest: null })
const policy = testPolicy({
  providers: { openai: { requestsPerMinute: Number(RPM), rateWindowMs: Number(WINDOW_MS), retry: { attempts: 1, maxDelayMs: 1 } } },
}, ['gpt-4o'])
const gateway = createRoutingGateway({
  policy: () => policy,
  providers: { openai: createOpenAIProvider({ name: 'openai', apiKey: 'sk-test-routing-0000', baseUrl: `${EMU_URL}/v1` }) },
  state: createRoutingState(redis, PREFIX!),
  log: silentLog,
})

await Bun.sleep(Math.max(0, Number(START_AT) - Date.now()))
const counts = { accepted: 0, refused: 0, other: 0 }
const one = () =>
  gateway.complete({ messages: [{ role: 'user', content: 'hi' }] }, { tenantId: 't', agent: 'a', conversationId: `c-${process.pid}` }).then(
    () => counts.accepted++,
    (e: { code?: string }) => (e.code === 'provider.rate_limited' ? counts.refused++ : counts.other++),
  )
// Four calls in flight at a time, like a pool worker with concurrency.
const lanes = Array.from({ length: 4 }, async () => {
  for (let i = 0; i < Number(CALLS) / 4; i++) await one()
})
await Promise.all(lanes)
console.log(JSON.stringify(counts))
redis.disconnect()
