// The figures of a demo-agent run: pass^1 and pass^k over tasks (the arena's estimator), wrong writes,
// escalations and their reasons, and pass^1 by the write actions each task needs; every failed trial's
// transcript goes to a file for reading.
import { writeFileSync } from 'node:fs'
import { passHatK, type GoldAction, type TrialResult } from '../../arena/index.ts'

export interface Trial {
  taskId: string
  seed: number
  gold: GoldAction[]
  result: TrialResult
  /** Why the agent handed over, when it did and said why. */
  escalation?: string
  /** The conversation as lines to read, tool calls and results included where the loop saw them. */
  lines: string[]
}

const WRITES = new Set(['cancel_pending_order', 'modify_pending_order_address', 'modify_pending_order_items', 'modify_pending_order_payment',
  'modify_user_address', 'return_delivered_order_items', 'exchange_delivered_order_items'])
const writesOf = (gold: GoldAction[]) => [...new Set(gold.filter((a) => WRITES.has(a.name)).map((a) => a.name))]

export function figures(trials: Trial[], k: number) {
  const outcomes = trials.map((t) => ({ taskId: t.taskId, success: t.result.success }))
  const byTask = new Map<string, Trial[]>()
  for (const t of trials) byTask.set(t.taskId, [...(byTask.get(t.taskId) ?? []), t])
  const byAction: Record<string, { tasks: number; pass_1: number }> = {}
  for (const ts of byTask.values()) {
    for (const name of writesOf(ts[0]!.gold).concat(writesOf(ts[0]!.gold).length === 0 ? ['(no write)'] : [])) {
      const row = (byAction[name] ??= { tasks: 0, pass_1: 0 })
      row.tasks += 1
      row.pass_1 += ts.filter((t) => t.result.success).length / ts.length
    }
  }
  for (const row of Object.values(byAction)) row.pass_1 = Number((row.pass_1 / row.tasks).toFixed(3))
  const reasons: Record<string, number> = {}
  for (const t of trials) if (t.result.escalated) reasons[(t.escalation ?? 'unstated').split(':')[0]!] = (reasons[(t.escalation ?? 'unstated').split(':')[0]!] ?? 0) + 1
  return {
    tasks: byTask.size, trials: k,
    pass_1: Number(passHatK(outcomes, 1).toFixed(3)),
    [`pass_${k}`]: Number(passHatK(outcomes, k).toFixed(3)),
    wrong_writes: trials.reduce((s, t) => s + t.result.wrongWrites.length, 0),
    trials_with_wrong_writes: trials.filter((t) => t.result.wrongWrites.length > 0).length,
    escalated: trials.filter((t) => t.result.escalated).length,
    unplayed: trials.filter((t) => t.result.error !== undefined).length,
    by_action: byAction,
    escalation_reasons: reasons,
  }
}

function render(t: Trial): string {
  const verdict = t.result.wrongWrites.length > 0 ? 'WRONG WRITE' : t.result.error ? `not played (${t.result.error})` : t.result.escalated ? `escalated (${t.escalation ?? 'no reason given'})` : 'failed'
  return [
    `## task ${t.taskId} seed ${t.seed}: ${verdict}`,
    `gold writes: ${JSON.stringify(t.gold.filter((a) => WRITES.has(a.name)).map((a) => [a.name, a.arguments]))}`,
    `wrong writes: ${JSON.stringify(t.result.wrongWrites)}`,
    `failures: ${t.result.failures.join('; ')}${t.result.groundingFailures > 0 ? `; ${t.result.groundingFailures} replies held by the grounding check` : ''}`,
    ...t.lines, '',
  ].join('\n')
}

/** Writes every failed trial's transcript to `path`. */
export function writeFailures(path: string, trials: Trial[]): void {
  writeFileSync(path, trials.filter((t) => !t.result.success).map(render).join('\n'))
}
