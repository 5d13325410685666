// The inbound ticketing webhook: generic, Zendesk-style or Freshdesk-style ticket events become conversations
// on the ticket channel (one per ticket) and customer turns (one per comment). Validation is the producer's.
import { Elysia, t } from 'elysia'
import { ingestTicket, normalizeTicket, TICKET_SOURCES, type Inbox } from '../../channels/index.ts'
import { withServerSpan } from '../../lib/spans.ts'
import { responseStatus } from '../errors.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { unavailable } from './conversations.ts'

export interface TicketsRouteDeps extends GuardDeps {
  inbox: Inbox
  maxMessageChars: number
}

const ROUTE = '/v1/tickets/:source'

export function ticketsRoutes(deps: TicketsRouteDeps) {
  return new Elysia({ name: 'tickets' })
    .use(requestGuard(deps))
    .post(ROUTE, ({ params: { source }, body, tenant, request, set }) => withServerSpan(request, ROUTE, responseStatus(set), async () => {
      const event = normalizeTicket(source, body, deps.maxMessageChars)
      const result = await ingestTicket(deps.inbox, tenant.tenantId, source, event).catch(unavailable)
      set.status = 202
      return result
    }), {
      scope: ['channel'],
      params: t.Object({ source: t.Union(TICKET_SOURCES.map((s) => t.Literal(s))) }),
      // Shapes differ per source; the adapters and the generic validator judge the body.
      body: t.Unknown(),
      detail: {
        summary: 'Ticket created/updated webhook (generic, zendesk or freshdesk payloads)',
        description: 'Generic shape: `{ event: "ticket.created"|"ticket.updated", ticket: { id, subject?, status?, requester?: '
          + '{ externalId?, email?, phone?, name? } }, comment?: { id, body }, agent? }`. A `solved` or `closed` status closes '
          + 'the conversation. Redelivered events land once (ids derive from ticket and comment).',
        tags: ['tickets'],
      },
    })
}
