// Runs a multi-step workflow as an explicit list of steps: tool calls (each exactly once per run and
// step, through the executor), checks, customer confirmations and human approvals. When a step fails or
// a confirmation or approval is refused, the completed tool steps are compensated in reverse order.
import type { ErrorInfo } from '../../lib/errors.ts'
import type { ToolExecutor } from '../executor.ts'

type Args = Record<string, unknown>

/** What a customer is asked to confirm, or a human to approve: shown as is, decided outside. */
export interface DecisionPoint {
  workflow: string
  runId: string
  step: string
  summary: string
  details: Record<string, unknown>
}

/** The hook points a policy layer drives: nothing here decides who confirms or approves, or when. */
export interface WorkflowHooks {
  /** The customer's explicit yes to the listed action. */
  confirm(point: DecisionPoint): Promise<boolean>
  /** A human approval (the policy's thresholds decide when a workflow asks; see each step's `when`). */
  approve(point: DecisionPoint): Promise<boolean>
}

export type WorkflowStep<S> =
  | {
      kind: 'tool'
      name: string
      tool: string
      /** One call, or several (one per order, say), each with its own idempotency key and compensation. */
      args(state: S): Args | Args[]
      save?(state: S, outputs: unknown[]): void
      compensate?(state: S, args: Args, output: unknown): { tool: string; args: Args }
    }
  | { kind: 'check'; name: string; run(state: S): string | undefined }
  | (DecisionStep<S> & { kind: 'confirm' })
  | (DecisionStep<S> & { kind: 'approve' })

interface DecisionStep<S> {
  name: string
  /** Ask only when this holds (an approval threshold, say). @defaultValue always */
  when?(state: S): boolean
  summary(state: S): string
  details?(state: S): Record<string, unknown>
}

export interface Workflow<I, S> {
  name: string
  init(input: I): S
  steps: WorkflowStep<S>[]
}

export interface WorkflowRun<S> {
  runId: string
  status: 'completed' | 'declined' | 'rejected' | 'failed'
  state: S
  /** Names of the steps that completed, in order. */
  completed: string[]
  failedStep?: string
  error?: ErrorInfo
  /** Compensation calls that ran (tool names), and any that failed: those need a human. */
  compensated: string[]
  compensationErrors: ErrorInfo[]
}

interface Done {
  step: string
  key: string
  compensation: { tool: string; args: Args }
}

/** Runs `workflow` for `input`. Rerunning with the same `runId` replays recorded calls instead of repeating them. */
export async function runWorkflow<I, S>(
  workflow: Workflow<I, S>,
  input: I,
  options: { executor: ToolExecutor; hooks: WorkflowHooks; runId: string },
): Promise<WorkflowRun<S>> {
  const run: WorkflowRun<S> = { runId: options.runId, status: 'completed', state: workflow.init(input), completed: [], compensated: [], compensationErrors: [] }
  const done: Done[] = []
  for (const step of workflow.steps) {
    const outcome = await runStep(workflow.name, step, run, done, options)
    if (outcome !== 'ok') {
      run.status = outcome
      run.failedStep = step.name
      await compensate(done, run, options.executor)
      return run
    }
    run.completed.push(step.name)
  }
  return run
}

type StepOutcome = 'ok' | WorkflowRun<unknown>['status']

async function runStep<S>(
  workflow: string,
  step: WorkflowStep<S>,
  run: WorkflowRun<S>,
  done: Done[],
  options: { executor: ToolExecutor; hooks: WorkflowHooks; runId: string },
): Promise<StepOutcome> {
  const { state } = run
  if (step.kind === 'check') {
    const problem = step.run(state)
    if (problem) run.error = { code: 'tool.failed', message: problem, retryable: false }
    return problem ? 'failed' : 'ok'
  }
  if (step.kind === 'confirm' || step.kind === 'approve') {
    if (step.when && !step.when(state)) return 'ok'
    const point = { workflow, runId: run.runId, step: step.name, summary: step.summary(state), details: step.details?.(state) ?? {} }
    const yes = step.kind === 'confirm' ? await options.hooks.confirm(point) : await options.hooks.approve(point)
    if (yes) return 'ok'
    return step.kind === 'confirm' ? 'declined' : 'rejected'
  }
  return runToolStep(step, run, done, options)
}

async function runToolStep<S>(
  step: Extract<WorkflowStep<S>, { kind: 'tool' }>,
  run: WorkflowRun<S>,
  done: Done[],
  options: { executor: ToolExecutor; runId: string },
): Promise<StepOutcome> {
  const calls = ([] as Args[]).concat(step.args(run.state))
  const outputs: unknown[] = []
  for (const [i, args] of calls.entries()) {
    const key = `${options.runId}:${step.name}:${i}`
    // Recorded even when it only reads: a rerun of this run must decide on the state its first run saw.
    const result = await options.executor.executeTool({ tool: step.tool, args, idempotencyKey: key, record: true })
    if (!result.ok) {
      run.error = result.error
      return 'failed'
    }
    outputs.push(result.output)
    if (step.compensate) done.push({ step: step.name, key, compensation: step.compensate(run.state, args, result.output) })
  }
  step.save?.(run.state, outputs)
  return 'ok'
}

/** Undoes completed effects newest first; a compensation that fails is reported, never retried blindly here. */
async function compensate<S>(done: Done[], run: WorkflowRun<S>, executor: ToolExecutor): Promise<void> {
  for (const d of done.reverse()) {
    const result = await executor.executeTool({ ...d.compensation, idempotencyKey: `${d.key}:undo` })
    if (result.ok) run.compensated.push(d.compensation.tool)
    else run.compensationErrors.push(result.error)
  }
}
