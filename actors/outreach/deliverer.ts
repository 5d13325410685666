// Delivering one decided message: into the customer's open conversation on the campaign's channel (or a new
// one, answered by the campaign's reply agent), as an `outreach.triggered` mail whose id is the delivery's, so
// a send repeated after a crash is the same message and the mailbox and the transcript keep it once.
import type { Mailbox, PoolClient } from '../protocol.ts'
import type { Clock } from '../../lib/clock.ts'
import type { Logger } from '../../lib/log.ts'
import { decideAll, type CampaignSpec } from '../../outreach/index.ts'
import type { OutreachDelivery, OutreachRun, Storage } from '../../storage/index.ts'
import type { RuntimeObserver } from '../observer.ts'

export interface DelivererDeps {
  storage: Pick<Storage, 'outreach' | 'customers' | 'conversations'>
  mailbox: Mailbox
  pools: PoolClient
  clock: Clock
  log: Logger
  observer: Pick<RuntimeObserver, 'outreachDecided' | 'outreachSent'>
}

export interface Deliverer {
  /** Sends a pending delivery now. */
  send(d: OutreachDelivery, run: OutreachRun): Promise<void>
  /**
   * Schedules a deferred delivery for its due time on the outreach pool. The job is named after the run's start,
   * so a run resumed after a pause schedules again what came due while it was paused (and finished as a no-op).
   */
  schedule(d: OutreachDelivery, run: OutreachRun): Promise<void>
  /** A deferred delivery came due: restraint is checked again, then it is sent or skipped with the reason. */
  sendDue(deliveryId: string): Promise<boolean>
}

export function createDeliverer(deps: DelivererDeps): Deliverer {
  const { outreach } = deps.storage

  /** The customer's open conversation on the channel, else a new one named after the delivery; recorded once. */
  async function conversationFor(d: OutreachDelivery, run: OutreachRun): Promise<string> {
    if (d.conversationId) return d.conversationId
    const spec = run.spec as unknown as CampaignSpec
    const customer = d.address
      ? await deps.storage.customers.identify(run.tenantId, { kind: 'email', value: d.address }, { actor: 'outreach', reason: `campaign ${run.campaign}` })
      : undefined
    const customerId = customer?.customerId
    // A customer created just now has no conversation to continue.
    const open = customer && !customer.created ? await outreach.deliveries.openConversation(run.tenantId, customer.customerId, spec.channel) : undefined
    const conversationId = open ?? `o.${d.id}`
    if (!open) await deps.storage.conversations.ensure({ id: conversationId, tenantId: run.tenantId, customerId, channel: spec.channel, agent: spec.replyAgent })
    return outreach.deliveries.assignConversation(d.id, conversationId)
  }

  async function send(d: OutreachDelivery, run: OutreachRun): Promise<void> {
    const conversationId = await conversationFor(d, run)
    await deps.mailbox.send({
      v: 1, id: d.id, kind: 'outreach.triggered', conversationId, causationId: run.id, sentAt: deps.clock.now(),
      payload: { campaign: run.campaign, text: d.text ?? '' },
    })
    if (await outreach.deliveries.markSent(d.id)) deps.observer.outreachSent((run.spec as unknown as CampaignSpec).channel)
  }

  return {
    send,
    async schedule(d, run) {
      const conversationId = await conversationFor(d, run)
      await deps.pools.enqueue({
        v: 1, id: `${d.id}.s${run.starts}`, kind: 'outreach.send', conversationId, causationId: run.id, sentAt: deps.clock.now(),
        payload: { campaign: run.campaign, text: d.text ?? '', delivery: d.id },
      }, { delayMs: Math.max(0, (d.dueAt?.getTime() ?? 0) - deps.clock.now()) })
    },
    async sendDue(deliveryId) {
      const d = await outreach.deliveries.get(deliveryId)
      if (!d || d.status !== 'deferred') return false
      const run = await outreach.runs.get(d.runId)
      // A paused campaign's deferred messages wait: resuming schedules them again.
      if (!run || run.status === 'paused') return false
      const spec = run.spec as unknown as CampaignSpec
      const member = await outreach.member({ tenantId: run.tenantId, source: 'retail.users', where: [], channel: spec.channel, capSinceMs: deps.clock.now() }, d.customerRef)
      // Quiet hours are over and the cap was reserved when it was deferred: only consent and escalations can have changed.
      const [decision] = member ? decideAll([member], { ...spec, quietHours: undefined, frequencyCap: undefined }, run.campaign, deps.clock.now()) : []
      if (decision?.outcome === 'skip') {
        await outreach.deliveries.markSkipped(d.id, decision.reason)
        deps.observer.outreachDecided('skipped', decision.reason, 1)
        return false
      }
      await send(d, run)
      return true
    },
  }
}
