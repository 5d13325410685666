// The outreach repositories over one pool: runs, deliveries, consent, order events, campaigns in force.
import type { Sql } from '../postgres/client.ts'
import { audiencePage, type AudienceMember, type AudienceQuery } from './audience.ts'
import { campaignsInForce } from './campaigns.ts'
import { createConsent } from './consent.ts'
import { createDeliveries } from './deliveries.ts'
import { createOrderEvents } from './order-events.ts'
import { createRuns } from './runs.ts'
import { createTicketEvents } from './ticket-events.ts'

export function createOutreach(sql: Sql) {
  return {
    runs: createRuns(sql),
    deliveries: createDeliveries(sql),
    consent: createConsent(sql),
    orderEvents: createOrderEvents(sql),
    ticketEvents: createTicketEvents(sql),
    campaigns: () => campaignsInForce(sql),
    /** One customer of the tools with the facts restraint needs now (a deferred message coming due). */
    member: async (q: AudienceQuery, customerRef: string): Promise<AudienceMember | undefined> =>
      (await audiencePage(sql, { ...q, where: [{ field: 'user_id', in: [customerRef] }] }, null, 1))[0],
  }
}
export type Outreach = ReturnType<typeof createOutreach>
