// The Operate level: an operate-mode agent runs the refund workflow as a tool, each step exactly once. Killed
// with -9 between two steps, the worker's successor resumes the run without repeating a step; a failing last step
// undoes the earlier ones; the same agent in execute mode is refused the workflow. Confirmation comes from the
// agent's policy, before the workflow starts.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Script } from '../../emulator/index.ts'
import { spawnSwitchboard, type SwitchboardProcess } from '../support/processes.ts'
import { testEnv } from '../support/platform.ts'
import { waitFor } from '../support/wait.ts'
import { startAgentsHarness, type AgentsHarness } from './harness.ts'

let h: AgentsHarness
let worker: SwitchboardProcess
const EMAIL = 'ivan.santos3158@example.com'
const ORDER = '#W6893533'
const REFUND = { order_id: ORDER, item_ids: ['5206946487'], payment_method_id: 'paypal_6151711' }

const startWorker = async () => {
  worker = spawnSwitchboard('worker', testEnv(h.redis.prefix, h.db.schema, h.env))
  await worker.waitForLog('switchboard started', 30_000)
}

beforeAll(async () => {
  h = await startAgentsHarness({ ROLE: 'api' })
  await startWorker()
  const retail = (await h.call('GET', '/v1/agentpolicies/retail')).body.spec
  const ret = retail.tools.find((r: { name: string }) => r.name === 'return')
  const rule = { ...ret, name: 'refund-workflow', tools: ['run_refund_workflow'], amount: undefined, spend: undefined, summary: 'refund items {$args.item_ids} of order {$args.order_id} to {$args.payment_method_id}' }
  await h.put('agentpolicies', 'ops', { ...retail, tenant: undefined, version: 'ops-1', tools: [...retail.tools, rule] })
  await h.put('agents', 'operator', {
    instructions: 'You run refunds end to end.', model: { provider: 'openai', model: 'gpt-4o-mini' }, tools: ['retail/*'], policy: 'ops',
    mode: 'operate', workflows: ['refund'],
  })
}, 60_000)
afterAll(async () => {
  worker.kill('SIGKILL')
  await worker.proc.exited
  await h.close()
})

const say = (textIncludes: string, text: string): Script => ({ match: { textIncludes }, reply: { text } })
const call = (textIncludes: string, name: string, args: Record<string, unknown>): Script =>
  ({ match: { textIncludes }, reply: { toolCalls: [{ name, arguments: args }] } })

/** Authenticates, shows the refund, and says yes; returns the turn id of the yes. */
async function refundConversation(cue: string, resultCue: string, answer: string): Promise<{ conversationId: string; yes: string }> {
  const conversationId = await h.newConversation('operator')
  h.emu.script(call(`(${cue}), my email is [email_1]`, 'find_user_id_by_email', { email: '[email_1]' }),
    call('ivan_santos_6635', 'get_order_details', { order_id: ORDER }),
    say('5206946487', `I will refund item 5206946487 of ${ORDER} to paypal_6151711. Reply yes to confirm.`),
    call(`yes ${cue}`, 'run_refund_workflow', REFUND), say(resultCue, answer))
  await h.reply(await h.post(conversationId, `I would like a refund for my order (${cue}), my email is ${EMAIL}`), 20_000)
  return { conversationId, yes: await h.post(conversationId, `yes ${cue}`) }
}

const order = async () => (await h.db.sql`select status from retail_orders where order_id = ${ORDER}`)[0]!.status
const notices = async () => (await h.db.sql`select count(*)::int as n from retail_outbox where kind = 'notice'`)[0]!.n
const restore = () => h.db.sql`update retail_orders set status = 'delivered', return_items = null where order_id = ${ORDER}`

test('in execute mode the workflow is refused', async () => {
  await h.call('PUT', '/v1/agents/operator/mode', { mode: 'execute' })
  const { yes } = await refundConversation('execute', 'not available to agent', 'I cannot run refunds myself; a colleague will.')
  expect(await h.reply(yes, 20_000)).toBe('I cannot run refunds myself; a colleague will.')
  expect(await order()).toBe('delivered')
  await h.call('PUT', '/v1/agents/operator/mode', { mode: 'operate' })
}, 60_000)

test('a failing last step undoes the return it made', async () => {
  await h.db.sql.unsafe(`create function refuse_notice() returns trigger language plpgsql as $$ begin raise exception 'mail relay down'; end $$;
    create trigger refuse_notice before insert on retail_outbox for each row execute function refuse_notice();`)
  const { yes } = await refundConversation('failing', 'stopped at notify', 'The refund could not be completed and nothing was changed.')
  expect(await h.reply(yes, 20_000)).toBe('The refund could not be completed and nothing was changed.')
  await h.db.sql.unsafe('drop trigger refuse_notice on retail_outbox; drop function refuse_notice();')
  expect(await order()).toBe('delivered')
  const steps = await h.db.sql`select tool from tool_calls where idempotency_key like ${'%' + yes + '%'} and ok order by created_at`
  expect(steps.map((s) => s.tool)).toEqual(['get_order_details', 'return_delivered_order_items', 'cancel_return_request'])
}, 60_000)

test('killed between two steps, the run resumes on another worker without repeating a step', async () => {
  await restore()
  const before = await notices()
  // The notice step holds its transaction open long enough to kill the worker in it, after the return was made.
  await h.db.sql.unsafe(`create function slow_notice() returns trigger language plpgsql as $$ begin perform pg_sleep(5); return new; end $$;
    create trigger slow_notice before insert on retail_outbox for each row execute function slow_notice();`)
  const { yes } = await refundConversation('resume', '"completed"', 'Your refund is done and you will get an email.')
  await waitFor(async () => {
    const [row] = await h.db.sql`select 1 from tool_calls where idempotency_key like ${'%' + yes + '%:request-return:0'} and status = 'done'`
    return row !== undefined
  }, 20_000, 'the return step to complete')
  worker.kill('SIGKILL')
  await worker.proc.exited
  await h.db.sql.unsafe('drop trigger slow_notice on retail_outbox; drop function slow_notice();')
  await startWorker()
  expect(await h.reply(yes, 40_000)).toBe('Your refund is done and you will get an email.')
  expect(await order()).toBe('return requested')
  expect(await notices()).toBe(before + 1)
  const steps = await h.db.sql`select tool, count(*)::int as n from tool_calls where idempotency_key like ${'%' + yes + '%'} group by tool order by tool`
  expect([...steps]).toEqual([
    { tool: 'get_order_details', n: 1 }, { tool: 'notify_customer', n: 1 }, { tool: 'return_delivered_order_items', n: 1 },
  ])
}, 90_000)
