// The Operate-level workflows as tools: an operate-mode agent that lists a workflow is offered it like any tool,
// and a call runs every step exactly once (replayed, never repeated, when the call is redelivered) with
// compensation when a step fails. Confirmation and approval come from the agent's AgentPolicy at the tool
// boundary, before the workflow starts, so the engine's own decision points pass.
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { TerminalError, toErrorInfo } from '../lib/errors.ts'
import { workflowTool, type WORKFLOW_NAMES } from '../resources/index.ts'
import {
  accountChangeWorkflow, billingDisputeWorkflow, refundWorkflow, runWorkflow, type ToolExecutor, type ToolResult, type Workflow, type WorkflowRun,
} from '../tools/index.ts'

type WorkflowName = (typeof WORKFLOW_NAMES)[number]

interface WorkflowTool<P extends TSchema> {
  name: string
  workflow: WorkflowName
  description: string
  parameters: P
  run(args: Static<P>, executor: ToolExecutor, runId: string): Promise<WorkflowRun<unknown>>
}

const passed = { confirm: async () => true, approve: async () => true }
const start = <I, S>(wf: Workflow<I, S>, input: I, executor: ToolExecutor, runId: string) =>
  runWorkflow(wf, input, { executor, hooks: passed, runId }) as Promise<WorkflowRun<unknown>>

const Address = {
  address1: Type.String(), address2: Type.String(), city: Type.String(), state: Type.String(), country: Type.String(), zip: Type.String(),
}

const define = <P extends TSchema>(t: WorkflowTool<P>) => t as unknown as WorkflowTool<TSchema>

const TOOLS: Array<WorkflowTool<TSchema>> = [
  define({
    name: workflowTool('refund'), workflow: 'refund',
    description: 'Return items of a delivered order and refund them, then tell the customer; undone if a step fails. Confirm the details with the customer first.',
    parameters: Type.Object({ order_id: Type.String(), item_ids: Type.Array(Type.String(), { minItems: 1 }), payment_method_id: Type.String() }, { additionalProperties: false }),
    run: (a, executor, runId) => start(refundWorkflow, { orderId: a.order_id, itemIds: a.item_ids, paymentMethodId: a.payment_method_id, approvalAbove: Infinity }, executor, runId),
  }),
  define({
    name: workflowTool('account-change'), workflow: 'account-change',
    description: "Change the customer's default address and move their pending orders to it, then tell them; undone if a step fails.",
    parameters: Type.Object({ user_id: Type.String(), ...Address }, { additionalProperties: false }),
    run: ({ user_id, ...address }, executor, runId) => start(accountChangeWorkflow, { userId: user_id, address }, executor, runId),
  }),
  define({
    name: workflowTool('billing-dispute'), workflow: 'billing-dispute',
    description: 'Open a billing dispute on an order and credit the amount to a gift card, then tell the customer; undone if a step fails.',
    parameters: Type.Object({ order_id: Type.String(), reason: Type.String(), amount: Type.Number({ exclusiveMinimum: 0 }), gift_card_id: Type.String() }, { additionalProperties: false }),
    run: (a, executor, runId) => start(billingDisputeWorkflow, {
      disputeId: `dsp_${runId.replace(/[^A-Za-z0-9]/g, '').slice(-24)}`, orderId: a.order_id, reason: a.reason, amount: a.amount, giftCardId: a.gift_card_id,
    }, executor, runId),
  }),
]

const byName = new Map(TOOLS.map((t) => [t.name, t]))

/** What a model is shown of the workflows an agent may run. */
export const workflowSpecs = (workflows: readonly WorkflowName[]) =>
  TOOLS.filter((t) => workflows.includes(t.workflow)).map(({ name, description, parameters }) => ({ name, description, parameters }))

/** The workflow tools, for load-time checks (policies may name them): every one changes data. */
export const WORKFLOW_TOOLS = TOOLS.map((t) => ({ name: t.name, type: 'WRITE' as const, args: Object.keys((t.parameters as { properties?: object }).properties ?? {}) }))

export const isWorkflowTool = (tool: string): boolean => byName.has(tool)

/** Runs a workflow call; its idempotency key is the run id, so a redelivered call replays the steps it recorded. */
export async function runWorkflowTool(tool: string, args: Record<string, unknown>, executor: ToolExecutor, runId: string): Promise<ToolResult> {
  const wf = byName.get(tool)
  if (!wf) return { ok: false, error: toErrorInfo(new TerminalError('tool.unknown', `no workflow tool ${tool}`)) }
  const run = await wf.run(args as never, executor, runId)
  const summary = { workflow: wf.workflow, status: run.status, completed: run.completed, compensated: run.compensated }
  if (run.status === 'completed') return { ok: true, output: summary }
  const failed = run.error ? `${run.failedStep}: ${run.error.message}` : `${run.failedStep}`
  const undone = run.compensationErrors.length > 0 ? ' Some steps could not be undone: a person must look at it.' : ' Every completed step was undone.'
  return { ok: false, error: { code: 'tool.failed', message: `the ${wf.workflow} workflow stopped at ${failed}.${undone}`, retryable: false } }
}
