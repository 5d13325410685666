// Ticket webhook events as campaign triggers: recorded by the ticket ingest (only those with a requester
// email, whom a campaign can reach), read in order, removed once every campaign they start has its run.
import type { Sql } from '../postgres/client.ts'

export interface TicketEvent {
  id: number
  tenantId: string
  source: string
  ticketId: string
  status: string | null
  email: string
}

export function createTicketEvents(sql: Sql) {
  return {
    async record(e: Omit<TicketEvent, 'id'>): Promise<void> {
      await sql`insert into outreach_ticket_events (tenant_id, source, ticket_id, status, email)
        values (${e.tenantId}, ${e.source}, ${e.ticketId}, ${e.status}, ${e.email.trim().toLowerCase()})`
    },
    async next(limit: number): Promise<TicketEvent[]> {
      return sql<TicketEvent[]>`select id, tenant_id as "tenantId", source, ticket_id as "ticketId", status, email
        from outreach_ticket_events order by id limit ${limit}`
    },
    async remove(id: number): Promise<void> {
      await sql`delete from outreach_ticket_events where id = ${id}`
    },
  }
}
export type TicketEvents = ReturnType<typeof createTicketEvents>
