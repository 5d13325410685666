// The figures of a demo-agent run: pass^1 and pass^k over tasks, wrong writes, escalations, and the
// breakdown by the write actions each task needs; failures go to a transcript file for reading.
import { writeFileSync } from 'node:fs'
import type { ProviderMessage } from '../../providers/index.ts'
import { goldWriteNames, passHatK, type Action } from './grading.ts'

export interface TrialResult {
  taskId: string
  seed: number
  passed: boolean
  gold: Action[]
  writes: Action[]
  wrong: Action[]
  escalated?: string
  messages: ProviderMessage[]
}

export interface Figures {
  tasks: number
  trials: number
  pass1: number
  pass4: number
  wrongWrites: number
  escalated: number
  byAction: Record<string, { tasks: number; pass1: number }>
  escalationReasons: Record<string, number>
}

export function figures(results: TrialResult[], trials: number): Figures {
  const byTask = new Map<string, TrialResult[]>()
  for (const r of results) byTask.set(r.taskId, [...(byTask.get(r.taskId) ?? []), r])
  const passes = [...byTask.values()].map((rs) => rs.map((r) => r.passed))
  const byAction: Figures['byAction'] = {}
  for (const rs of byTask.values()) {
    const names = goldWriteNames(rs[0]?.gold ?? [])
    for (const name of names.length > 0 ? names : ['(no write)']) {
      const row = (byAction[name] ??= { tasks: 0, pass1: 0 })
      row.tasks += 1
      row.pass1 += rs.filter((r) => r.passed).length / rs.length
    }
  }
  for (const row of Object.values(byAction)) row.pass1 = Number((row.pass1 / row.tasks).toFixed(3))
  const escalationReasons: Record<string, number> = {}
  for (const r of results) if (r.escalated) escalationReasons[r.escalated.split(':')[0]!] = (escalationReasons[r.escalated.split(':')[0]!] ?? 0) + 1
  return {
    tasks: byTask.size, trials,
    pass1: Number(passHatK(passes, 1).toFixed(3)),
    pass4: Number(passHatK(passes, Math.min(4, trials)).toFixed(3)),
    wrongWrites: results.reduce((s, r) => s + r.wrong.length, 0),
    escalated: results.filter((r) => r.escalated).length,
    byAction, escalationReasons,
  }
}

function render(r: TrialResult): string {
  const lines = r.messages.map((m) => {
    if (m.role === 'tool') return `    [tool ${m.name}] ${m.content.slice(0, 300)}`
    if (m.role === 'assistant' && m.toolCalls?.length) return `  agent → ${m.toolCalls.map((c) => `${c.name}(${JSON.stringify(c.arguments)})`).join(', ')}`
    return `  ${m.role === 'user' ? 'customer' : 'agent'}: ${m.content}`
  })
  return [
    `## task ${r.taskId} seed ${r.seed}: ${r.wrong.length > 0 ? 'WRONG WRITE' : r.escalated ? `escalated (${r.escalated})` : 'failed'}`,
    `gold writes: ${JSON.stringify(r.gold.filter((a) => a.name.includes('_')).filter((a) => !/^(get|find|list|calculate)/.test(a.name)))}`,
    `made writes: ${JSON.stringify(r.writes)}`,
    ...lines, '',
  ].join('\n')
}

/** Writes every failed trial's transcript to `path`. */
export function writeFailures(path: string, results: TrialResult[]): void {
  writeFileSync(path, results.filter((r) => !r.passed).map(render).join('\n'))
}
