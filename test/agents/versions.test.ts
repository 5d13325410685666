// An agent's definition is versioned: an update reaches turns on other worker processes without a restart,
// a rollback restores the old instructions as a new version, every turn records the version it ran, and the
// history shows who changed what, with a diff between any two versions.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { spawnSwitchboard, type SwitchboardProcess } from '../support/processes.ts'
import { testEnv } from '../support/platform.ts'
import { startAgentsHarness, type AgentsHarness } from './harness.ts'

let h: AgentsHarness
let workers: SwitchboardProcess[]

beforeAll(async () => {
  h = await startAgentsHarness({ ROLE: 'api' })
  h.emu.script({ reply: { text: 'Noted.' }, repeat: true })
  workers = [0, 1].map(() => spawnSwitchboard('worker', testEnv(h.redis.prefix, h.db.schema, h.env)))
  await Promise.all(workers.map((w) => w.waitForLog('switchboard started', 30_000)))
}, 60_000)
afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL')
  await Promise.all(workers.map((w) => w.proc.exited))
  await h.close()
})

const spec = (instructions: string) => ({ instructions, model: { provider: 'openai', model: 'gpt-4o-mini' } })

let counter = 0

/** One turn in each of `n` new conversations; returns, per turn, the version recorded and the prompt the model got. */
async function turns(n: number): Promise<Array<{ version: number; system: string }>> {
  const out = []
  for (let i = 0; i < n; i++) {
    const conversationId = await h.newConversation('greeter')
    const text = `hello #${++counter}`
    const turnId = await h.post(conversationId, text)
    await h.reply(turnId, 20_000)
    const [facts] = await h.db.sql<{ version: number }[]>`select agent_version as version from turn_facts where turn_id = ${turnId}`
    const request = h.emu.requests.find((r) => r.lastText === text)
    out.push({ version: facts!.version, system: request?.system ?? '' })
  }
  return out
}

test('an update reaches both workers at once, a rollback restores the old version, and turns record theirs', async () => {
  await h.put('agents', 'greeter', spec('Greet warmly. Version one.'))
  const before = await turns(4)
  expect(before.map((t) => t.version)).toEqual([1, 1, 1, 1])
  expect(before.every((t) => t.system.includes('Version one.'))).toBe(true)

  await h.put('agents', 'greeter', spec('Greet briefly. Version two.'))
  const after = await turns(6)
  expect(after.map((t) => t.version)).toEqual([2, 2, 2, 2, 2, 2])
  expect(after.every((t) => t.system.includes('Version two.'))).toBe(true)

  const restored = await h.call('POST', '/v1/agents/greeter/restore', { version: 1 })
  expect(restored.body).toMatchObject({ version: 3, comment: 'restored from version 1', changed: true })
  const back = await turns(4)
  expect(back.map((t) => t.version)).toEqual([3, 3, 3, 3])
  expect(back.every((t) => t.system.includes('Version one.'))).toBe(true)
}, 90_000)

test('the history lists every version with who wrote it, and a diff names what changed', async () => {
  const history = (await h.call('GET', '/v1/agents/greeter/versions')).body.data
  expect(history.map((v: { version: number }) => v.version)).toEqual([3, 2, 1])
  expect(history[0].updatedBy).toMatch(/^key:/)
  const diff = (await h.call('GET', '/v1/agents/greeter/diff?from=1&to=2')).body
  expect(diff.changes).toEqual([{ path: '/instructions', op: 'changed', before: 'Greet warmly. Version one.', after: 'Greet briefly. Version two.' }])
  expect((await h.call('GET', '/v1/agents/greeter/diff?from=1&to=3')).body.changes).toEqual([])
  // Applying the same spec again writes no version; a stale expectedVersion is refused.
  expect((await h.call('PUT', '/v1/agents/greeter', { spec: spec('Greet warmly. Version one.') })).body).toMatchObject({ version: 3, changed: false })
  const stale = await h.call('PUT', '/v1/agents/greeter', { spec: spec('Version four.'), expectedVersion: 2 })
  expect(stale.status).toBe(409)
  expect((await h.call('GET', '/v1/agents/greeter/versions/9')).status).toBe(404)
})
