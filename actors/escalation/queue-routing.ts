// Which queue a handoff goes to, how urgent it is there, and what the waiting customer is honestly told. Pure.
import type { HandoffPackage, HandoffQueue, TicketFields, WaitFigures } from '../../storage/index.ts'

const TICKET_RANK: Record<TicketFields['priority'], number> = { low: 0, normal: 1, high: 2, urgent: 3 }

/** The highest-priority queue that takes the package's intent or reason category; else the tenant's default queue. */
export function chooseQueue(queues: HandoffQueue[], pkg: HandoffPackage): HandoffQueue {
  const ranked = [...queues].sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name))
  const match = ranked.find((q) => !q.isDefault && (q.intents.includes(pkg.intent.name) || q.categories.includes(pkg.reason.category)))
  const chosen = match ?? ranked.find((q) => q.isDefault) ?? ranked[0]
  if (!chosen) throw new Error('a tenant always has its default queue')
  return chosen
}

/** Queue priority first, then how pressing the ticket is: the inbox sorts on this. */
export function handoffPriority(queue: HandoffQueue, pkg: HandoffPackage): number {
  return queue.priority * 10 + TICKET_RANK[pkg.ticket.priority]
}

const minutes = (seconds: number) => Math.max(1, Math.round(seconds / 60))
const inMinutes = (seconds: number) => (minutes(seconds) === 1 ? 'about a minute' : `about ${minutes(seconds)} minutes`)

/**
 * The holding message: where the customer stands, and an expected wait from the queue's recent history (or its
 * target when there is none). Never a promise the figures do not support.
 * @example holdingMessage({ ahead: 2, available: 1, medianWaitS: 240 }, 300, false)
 */
export function holdingMessage(wait: WaitFigures, targetS: number, overdue: boolean): string {
  const place = wait.ahead === 0 ? "You're next in line for our support team." : `There ${wait.ahead === 1 ? 'is 1 person' : `are ${wait.ahead} people`} ahead of you.`
  if (overdue) {
    return `${place} I'm sorry, this is taking longer than we aim for. A person will reply here as soon as one is free; you don't need to stay on this page.`
  }
  if (wait.available === 0) {
    return `${place} No one from the team is available this moment; we aim to reply within ${inMinutes(targetS)}. You'll get the answer here.`
  }
  const expected = wait.medianWaitS === null ? `we aim to reply within ${inMinutes(targetS)}` : `the expected wait is ${inMinutes(wait.medianWaitS * (1 + wait.ahead / Math.max(1, wait.available)))}`
  return `${place} ${expected[0]!.toUpperCase()}${expected.slice(1)}. You'll get the answer here.`
}
