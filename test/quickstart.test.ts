// The quick start as a new user runs it: `npm start` (the API and a worker in one process, the demo agent on its
// offline model), with the environment the image gives a deployed process. Its demo key works from the moment the API
// answers ready, and the README's conversation gets the agent's answers: who are you, then the order.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { imageEnv, spawnSwitchboard, type SwitchboardProcess } from './support/processes.ts'
import pkg from '../package.json'
import { testEnv } from './support/platform.ts'
import { createTestDatabase, type TestDatabase } from './support/postgres.ts'
import { createTestRedis, type TestRedis } from './support/redis.ts'
import { waitFor } from './support/wait.ts'

const KEY = 'sb_demo_quickstart_0123456789abcdef'
let db: TestDatabase
let redis: TestRedis
let sb: SwitchboardProcess
let base: string

/** A port nobody listens on now, so the test can knock before the process opens it. */
function freePort(): number {
  const probe = Bun.serve({ port: 0, fetch: () => new Response() })
  const port = probe.port!
  void probe.stop(true)
  return port
}

beforeAll(async () => {
  db = await createTestDatabase()
  redis = await createTestRedis()
  const port = freePort()
  base = `http://127.0.0.1:${port}`
  sb = spawnSwitchboard('all', testEnv(redis.prefix, db.schema, { PORT: String(port), AGENT_PROVIDER: 'local', SWITCHBOARD_DEMO_API_KEY: KEY }))
})

afterAll(async () => {
  sb.kill('SIGKILL')
  await sb.proc.exited
  await redis.cleanup()
  await db.drop()
})

const call = (method: string, path: string, body?: unknown) => fetch(`${base}${path}`, {
  method, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}),
})

let conversationId: string

test("npm start sets what the image's ENV lines set, so the quick start runs as a deployed process does", () => {
  const env = Object.entries(imageEnv())
  expect(env.length).toBeGreaterThan(0)
  for (const [name, value] of env) expect(pkg.scripts.start).toContain(`${name}=${value} `)
})

test('the demo key is accepted by the first request after the API first answers ready', async () => {
  // As a script would: knock on /readyz until it answers, then send the first keyed request at once.
  const deadline = Date.now() + 60_000
  while ((await fetch(`${base}/readyz`).then((r) => r.status, () => 0)) !== 200) {
    if (Date.now() > deadline) throw new Error(`not ready within 60 s:\n${sb.output()}`)
    await Bun.sleep(5)
  }
  const created = await call('POST', '/v1/conversations', { agent: 'demo', customer: { email: 'yusuf.rossi7301@example.com' } })
  expect(created.status).toBe(201)
  conversationId = ((await created.json()) as { id: string }).id
}, 90_000)

test("the README's conversation: the agent asks who the customer is, then tells where the order is", async () => {
  const replyTo = async (text: string): Promise<string> => {
    const posted = await call('POST', `/v1/conversations/${conversationId}/messages`, { text })
    expect(posted.status).toBe(202)
    const { id } = (await posted.json()) as { id: string }
    let reply: string | undefined
    await waitFor(async () => {
      const { messages } = (await (await call('GET', `/v1/conversations/${conversationId}/messages`)).json()) as { messages: Array<{ replyTo: string | null; text: string }> }
      reply = messages.find((m) => m.replyTo === id)?.text
      return reply !== undefined
    }, 20_000, `the reply to "${text}"`)
    return reply!
  }
  expect(await replyTo('Hi, where is my order #W2378156?')).toContain('please share the email address on your account')
  const answer = await replyTo('my email is yusuf.rossi7301@example.com')
  expect(answer).toContain('Your order #W2378156 is delivered.')
  expect(answer).toContain('Tracking number: 843053632392')
}, 60_000)
