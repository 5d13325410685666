// What starts a campaign occurrence: a cron fire (BullMQ job schedulers kept in step with the campaigns in
// force), an order status change the database recorded, or a person (a manual or dry run through the API).
// Each becomes a run opened once per occurrence key, whichever worker notices it, and is queued to run.
import type { Logger } from '../../lib/log.ts'
import type { CampaignSpec } from '../../outreach/index.ts'
import type { CampaignInForce, OrderEvent, OutreachTicketEvent, Storage } from '../../storage/index.ts'

/** A cron campaign as the schedulers hold it. */
export interface ScheduledCampaign {
  tenantId: string
  campaign: string
  cron: string
  timeZone: string
}

/** Implemented by queues/: the run queue and the job schedulers. */
export interface OutreachQueues {
  /** Queues a run; a run already queued or running is not queued twice. */
  enqueueRun(runId: string): Promise<void>
  /** Makes the cron schedulers exactly these. */
  syncSchedules(campaigns: readonly ScheduledCampaign[]): Promise<void>
}

export interface TriggerDeps {
  storage: Pick<Storage, 'outreach' | 'resources'>
  queues: OutreachQueues
  log: Logger
}

const specOf = (c: CampaignInForce) => c.spec as unknown as CampaignSpec

function ticketCampaign(c: CampaignInForce, e: OutreachTicketEvent): boolean {
  const on = specOf(c).trigger.event
  return c.tenantId === e.tenantId && on?.type === 'ticket.updated' && (!on.to || (e.status !== null && on.to.includes(e.status)))
}

export function createTriggers(deps: TriggerDeps) {
  const { outreach } = deps.storage

  async function open(c: CampaignInForce, occurrence: string, narrow: { orderIds?: string[]; customerEmails?: string[] } = {}): Promise<void> {
    const spec = specOf(c)
    const { run, created } = await outreach.runs.open({
      tenantId: c.tenantId, campaign: c.name, occurrence, campaignVersion: c.version, spec: c.spec, ...narrow, paused: spec.paused,
    })
    if (created) deps.log.info('campaign occurrence opened', { tenantId: c.tenantId, campaign: c.name, occurrence, runId: run.id, paused: spec.paused })
    if (run.status === 'queued' || run.status === 'running') await deps.queues.enqueueRun(run.id)
  }

  /** The campaigns an order event starts, each with the event's orders that moved into a status it watches. */
  function matching(campaigns: CampaignInForce[], event: OrderEvent): Array<[CampaignInForce, string[]]> {
    return campaigns.flatMap((c): Array<[CampaignInForce, string[]]> => {
      const on = specOf(c).trigger.event
      if (on?.type !== 'order.status_changed') return []
      const orders = event.changes.filter((ch) => !on.to || on.to.includes(ch.to)).map((ch) => ch.orderId)
      return orders.length > 0 ? [[c, orders]] : []
    })
  }

  return {
    /** Turns recorded order events into runs; an event leaves the table only once all its runs exist. */
    async dispatchOrderEvents(batch = 20): Promise<number> {
      const events = await outreach.orderEvents.next(batch)
      if (events.length === 0) return 0
      const campaigns = await outreach.campaigns()
      for (const event of events) {
        for (const [c, orderIds] of matching(campaigns, event)) await open(c, `order-tx:${event.tx}`, { orderIds })
        await outreach.orderEvents.remove(event.tx)
      }
      return events.length
    },
    /**
     * Turns ticket webhooks into runs reaching the requester. The occurrence is the ticket in that status, so a
     * redelivered webhook starts nothing new.
     */
    async dispatchTicketEvents(batch = 50): Promise<number> {
      const events = await outreach.ticketEvents.next(batch)
      if (events.length === 0) return 0
      const campaigns = await outreach.campaigns()
      for (const e of events) {
        for (const c of campaigns.filter((c) => ticketCampaign(c, e))) {
          await open(c, `ticket:${e.source}:${e.ticketId}:${e.status ?? ''}`, { customerEmails: [e.email] })
        }
        await outreach.ticketEvents.remove(e.id)
      }
      return events.length
    },
    /** A cron fire: the campaign as in force now, one run per fire time. */
    async scheduled(tenantId: string, campaign: string, fireMs: number): Promise<void> {
      const found = await deps.storage.resources.get({ tenantId, kind: 'Campaign', name: campaign })
      if (!found?.spec || !(found.spec as unknown as CampaignSpec).trigger.schedule) return
      await open({ tenantId, name: campaign, version: found.version, spec: found.spec }, `cron:${fireMs}`)
    },
    /** Schedulers for every cron campaign in force, and none for the rest. */
    async syncSchedules(): Promise<void> {
      const campaigns = await outreach.campaigns()
      await deps.queues.syncSchedules(campaigns.flatMap((c) => {
        const s = specOf(c).trigger.schedule
        return s ? [{ tenantId: c.tenantId, campaign: c.name, cron: s.cron, timeZone: s.timeZone }] : []
      }))
    },
    /** Queues every run that should be making progress (opened by the API, or left by a stopped worker). */
    async queueActive(): Promise<void> {
      for (const id of await outreach.runs.active()) await deps.queues.enqueueRun(id)
    },
  }
}
export type Triggers = ReturnType<typeof createTriggers>
