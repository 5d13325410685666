// A tenant's connections to its ticket systems (admin scope), through which the agent's and the human agents'
// replies are posted back into each ticket as comments, and the state of those posts (the dead ones can be sent
// round again). The credential is write-only: no answer, list or error ever carries it.
import { Elysia, t } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import { TICKET_SYSTEMS, type Storage, type TicketConnection, type TicketReply } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { QueryInteger } from '../schemas.ts'

export interface TicketConnectionsRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'ticketReplies'>
}

const SourceParams = t.Object({ source: t.Union(TICKET_SYSTEMS.map((s) => t.Literal(s))) })
// An address with no credentials in it: those belong in `secret`, which is never shown again.
const BaseUrl = t.String({ pattern: '^https?://[^\\s/@]+(/[^\\s@]*)?$', maxLength: 2000 })

const ConnectionBody = t.Object({
  baseUrl: BaseUrl,
  /** Zendesk: the agent the API token belongs to (required). Freshdesk: not used. */
  email: t.Optional(t.String({ pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$', maxLength: 320 })),
  /** Zendesk: an API token. Freshdesk: an API key. */
  secret: t.String({ minLength: 8, maxLength: 500 }),
}, { additionalProperties: false })

const connectionView = (c: TicketConnection) => ({
  source: c.source, baseUrl: c.baseUrl, email: c.username, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString(),
})
const replyView = (r: TicketReply) => ({
  messageId: r.messageId, conversationId: r.conversationId, source: r.source, ticketId: r.ticketId, status: r.status, attempts: r.attempts,
  remoteId: r.remoteId, lastStatusCode: r.lastStatusCode, lastError: r.lastError, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
})

export function ticketConnectionsRoutes(deps: TicketConnectionsRouteDeps) {
  const replies = deps.storage.ticketReplies
  return new Elysia({ name: 'ticket-connections' })
    .use(requestGuard(deps))
    .put('/v1/ticket-connections/:source', async ({ params: { source }, body, tenant }) => {
      if (source === 'zendesk' && !body.email) throw new AppError('request.invalid', 'a Zendesk connection needs the email of the agent the API token belongs to')
      return connectionView(await replies.connect(tenant.tenantId, source, { baseUrl: body.baseUrl, username: body.email, secret: body.secret }))
    }, {
      scope: ['admin'], params: SourceParams, body: ConnectionBody,
      detail: {
        summary: 'Connect a ticket system, so replies are posted back into its tickets', tags: ['tickets'],
        description: 'Zendesk: `{ baseUrl: "https://acme.zendesk.com", email, secret: <API token> }`. Freshdesk: '
          + '`{ baseUrl: "https://acme.freshdesk.com", secret: <API key> }`. The secret is stored and never shown again.',
      },
    })
    .get('/v1/ticket-connections', async ({ tenant }) => ({ data: (await replies.connections(tenant.tenantId)).map(connectionView) }),
      { scope: ['admin'], detail: { summary: "The tenant's ticket system connections (never their secrets)", tags: ['tickets'] } })
    .delete('/v1/ticket-connections/:source', async ({ params: { source }, tenant }) => {
      if (!(await replies.disconnect(tenant.tenantId, source))) throw new AppError('not_found', `no ${source} connection`)
      return { source, connected: false }
    }, { scope: ['admin'], params: SourceParams, detail: { summary: 'Disconnect a ticket system', tags: ['tickets'] } })
    .get('/v1/ticket-replies', async ({ query, tenant }) => ({ data: (await replies.list(tenant.tenantId, { status: query.status, limit: query.limit ?? 50 })).map(replyView) }), {
      scope: ['admin', 'console'],
      query: t.Object({
        status: t.Optional(t.Union([t.Literal('pending'), t.Literal('posted'), t.Literal('dead')])), limit: t.Optional(QueryInteger('limit', 1, 200)),
      }, { additionalProperties: false }),
      detail: { summary: 'Replies posted back into tickets, newest first, with their state (pending, posted, dead)', tags: ['tickets'] },
    })
    .post('/v1/ticket-replies/:messageId/retry', async ({ params: { messageId }, tenant }) => {
      if (!(await replies.retry(tenant.tenantId, messageId))) throw new AppError('not_found', `no dead ticket reply ${messageId}`)
      return { messageId, status: 'pending' }
    }, {
      scope: ['admin'], params: t.Object({ messageId: t.String({ pattern: '^[A-Za-z0-9_.:-]{1,200}$' }) }),
      detail: { summary: 'Send a dead-lettered reply round again (after fixing the connection)', tags: ['tickets'] },
    })
}
