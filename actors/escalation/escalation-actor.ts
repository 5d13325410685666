// The escalation pool's handler: builds the handoff package from what was stored, routes the handoff to a queue with
// its SLA clocks, opens it once per id (with its package, in one write), assigns it round robin where the queue says
// so, and tells the channels. The answer carries the holding sentence the customer's handoff reply ends with.
import type { PoolHandlers, PoolResults } from '../protocol.ts'
import type { Clock } from '../../lib/clock.ts'
import { TerminalError } from '../../lib/errors.ts'
import type { HandoffPackage, HandoffQueue, Storage } from '../../storage/index.ts'
import { buildHandoffPackage, type IntentGuess } from './handoff-package.ts'
import { holdingText } from './holding.ts'
import { chooseQueue, handoffPriority } from './queue-routing.ts'

export interface EscalationDeps {
  storage: Pick<Storage, 'events' | 'handoffPackages' | 'handoffQueues' | 'handoffSla' | 'messages'>
  clock: Clock
  /** The intent model (the offline classifier unless another is wired in). */
  classify: (text: string) => IntentGuess
}

type Result = PoolResults['escalation.open']

interface Opened {
  id: string
  conversationId: string
  tenantId: string
  queue: HandoffQueue
  pkg: HandoffPackage
  turnId?: string
}

/** What the waiting customer is told: who has it, or where they stand in the queue (nothing once nobody waits). */
async function holdingFor(deps: EscalationDeps, o: Opened, assignee: string | undefined): Promise<string | undefined> {
  if (assignee) return 'A member of our support team has your conversation and will reply here shortly.'
  if (!(await deps.storage.handoffSla.startHolding(o.id, new Date(deps.clock.now())))) return undefined
  return holdingText(deps.storage, { escalationId: o.id, conversationId: o.conversationId, tenantId: o.tenantId, queue: o.queue, overdue: false })
}

// Published last, after the work: the handoff reply follows `escalation.opened` as closely as it did before queues.
async function announce(deps: EscalationDeps, o: Opened): Promise<Result> {
  const { storage, clock } = deps
  const assignee = o.queue.assignment === 'round_robin'
    ? await storage.handoffQueues.assignRoundRobin(o.tenantId, o.id, o.queue.skills, new Date(clock.now()))
    : undefined
  const holding = await holdingFor(deps, o, assignee)
  await storage.events.publish({
    id: o.id, type: 'escalation.opened', conversationId: o.conversationId, at: clock.now(),
    data: { escalationId: o.id, reason: o.pkg.reason.code, category: o.pkg.reason.category, queue: o.queue.name, turnId: o.turnId },
  })
  if (assignee) {
    await storage.events.publish({
      id: `${o.id}.taken`, type: 'escalation.taken', conversationId: o.conversationId, at: clock.now(),
      data: { escalationId: o.id, agent: assignee, assignedBy: 'round_robin' },
    })
  }
  return holding ? { escalationId: o.id, holding } : { escalationId: o.id }
}

export function createEscalationHandler(deps: EscalationDeps): PoolHandlers['escalation.open'] {
  return async (req) => {
    const { turnId, reason, detail } = req.payload
    const facts = await deps.storage.handoffPackages.facts(req.conversationId)
    if (!facts) throw new TerminalError('not_found', `conversation ${req.conversationId} not found`)
    const now = new Date(deps.clock.now())
    const pkg = buildHandoffPackage(facts, { turnId, reason, detail }, deps.classify, now)
    const tenantId = facts.conversation.tenantId
    const queue = chooseQueue(await deps.storage.handoffQueues.ensure(tenantId), pkg)
    await deps.storage.handoffPackages.open({
      id: req.id, conversationId: req.conversationId, turnId, reason, detail, package: pkg, queueId: queue.id,
      priority: handoffPriority(queue, pkg),
      firstResponseDueAt: new Date(now.getTime() + queue.firstResponseSlaS * 1000),
      resolutionDueAt: new Date(now.getTime() + queue.resolutionSlaS * 1000),
    })
    return announce(deps, { id: req.id, conversationId: req.conversationId, tenantId, queue, pkg, turnId })
  }
}
