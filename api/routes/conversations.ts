// Conversations of the caller's tenant: create (with the customer's identity), list with filters and a
// keyset cursor, read with its transcript, close, and rate (CSAT). A foreign id answers 404, as an unknown one.
import { Elysia, t, type Static } from 'elysia'
import { closeConversation, identifyCustomer, type Inbox } from '../../channels/index.ts'
import { AppError, RetryableError } from '../../lib/errors.ts'
import { CONVERSATION_ID_PATTERN } from '../../queues/index.ts'
import type { ConversationPosition, Storage } from '../../storage/index.ts'
import type { TenantPrincipal } from '../auth.ts'
import { answer, idempotent } from '../idempotency.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { Channel, ConversationParams, conversationView, QueryInteger, Status } from '../schemas.ts'
import type { ApplyDeps } from '../resource-apply.ts'
import { verifyIdentity } from '../identity-verification.ts'

export interface ConversationsRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'chat' | 'messages' | 'idempotency' | 'sql' | 'customers' | 'secrets'>
  inbox: Inbox
  apply: Pick<ApplyDeps, 'resources'>
}

/** The agent of conversations created without one. */
export const DEFAULT_AGENT = 'demo'

const Customer = t.Object({
  externalId: t.Optional(t.String({ minLength: 1, maxLength: 200 })),
  email: t.Optional(t.String({ pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$', maxLength: 320 })),
  phone: t.Optional(t.String({ pattern: '^\\+?[0-9 ()-]{5,32}$' })),
  name: t.Optional(t.String({ maxLength: 200 })),
  /** Hex HMAC-SHA256 of externalId (or email) under the tenant's `identity-verification` secret. */
  identityToken: t.Optional(t.String({ pattern: '^[0-9a-fA-F]{64}$' })),
}, { additionalProperties: false })

const CreateBody = t.Object({
  channel: t.Optional(Channel),
  agent: t.Optional(t.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })),
  customer: t.Optional(Customer),
  metadata: t.Optional(t.Record(t.String({ maxLength: 100 }), t.Unknown())),
  doubleTexting: t.Optional(t.Union([t.Literal('queue'), t.Literal('merge')])),
}, { additionalProperties: false })

const ListQuery = t.Object({
  status: t.Optional(Status),
  channel: t.Optional(Channel),
  agent: t.Optional(t.String({ maxLength: 64 })),
  customerId: t.Optional(t.String({ maxLength: 200 })),
  externalId: t.Optional(t.String({ maxLength: 300 })),
  limit: t.Optional(QueryInteger('limit', 1, 100)),
  cursor: t.Optional(t.String({ pattern: '^[A-Za-z0-9_-]{1,200}$' })),
}, { additionalProperties: false })

// The cursor is the last row's exact position. A forged one (an impossible or extreme date, a foreign id shape)
// is refused here, before it reaches a query.
const POSITION_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/
const encodeCursor = (p: ConversationPosition) => Buffer.from(`${p.at}|${p.id}`).toString('base64url')

function decodeCursor(cursor: string): ConversationPosition {
  const [at = '', id = '', ...extra] = Buffer.from(cursor, 'base64url').toString().split('|')
  const ms = Date.parse(`${at.slice(0, 23)}Z`)
  const real = ms >= 0 && new Date(ms).toISOString().slice(0, 23) === at.slice(0, 23)
  if (extra.length > 0 || !POSITION_AT.test(at) || !real || !CONVERSATION_ID_PATTERN.test(id)) {
    throw new AppError('request.invalid', 'cursor is not one this API returned')
  }
  return { at, id }
}

async function createConversation(deps: ConversationsRouteDeps, tenant: TenantPrincipal, request: Request, body: Static<typeof CreateBody>) {
  const agentName = body.agent ?? DEFAULT_AGENT
  const agent = await deps.apply.resources.resolve({ tenantId: tenant.tenantId, kind: 'Agent', name: agentName })
  if (!agent?.spec) throw new AppError('agent.unknown', `agent ${agentName} is not defined (see GET /v1/agents)`)
  const greeting = typeof agent.spec.greeting === 'string' ? agent.spec.greeting : undefined
  const identityVerified = body.customer ? await verifyIdentity(deps.storage.secrets, tenant.tenantId, body.customer) : false
  const { identityToken: _signature, ...customer } = body.customer ?? {}
  const customerId = body.customer ? await identifyCustomer(deps.storage, tenant.tenantId, customer, `key:${tenant.keyId}`) : undefined
  const id = `conv_${Bun.randomUUIDv7().replaceAll('-', '')}`
  return idempotent(deps.storage, tenant, request, body, async (tx) => {
    const created = await deps.storage.chat.create({
      id, tenantId: tenant.tenantId, channel: body.channel ?? 'chat', agent: agentName, customerId, greeting, identityVerified,
      doubleTexting: body.doubleTexting, metadata: { ...body.metadata, ...(body.customer ? { customer } : {}) },
    }, tx)
    const token = await deps.customerTokens.issue(tenant.tenantId, id)
    const access = { customerToken: token.token, customerTokenExpiresAt: new Date(token.expiresAt).toISOString() }
    return { status: 201, body: { ...conversationView(created!), ...(greeting ? { greeting } : {}), ...access } }
  })
}

/** One page, newest first; the cursor is the last row of the page when there are more. */
async function listConversations(deps: ConversationsRouteDeps, tenantId: string, query: Static<typeof ListQuery>) {
  const limit = query.limit ?? 20
  const rows = await deps.storage.chat.list(tenantId, {
    ...query, limit: limit + 1, before: query.cursor ? decodeCursor(query.cursor) : undefined,
  })
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return { data: page.map(conversationView), nextCursor: rows.length > limit && last ? encodeCursor(last.position) : null }
}

export function conversationsRoutes(deps: ConversationsRouteDeps) {
  const notFound = (id: string) => new AppError('not_found', `conversation ${id} not found`)
  return new Elysia({ name: 'conversations' })
    .use(requestGuard(deps))
    .post('/v1/conversations', async ({ body, tenant, request, set }) => answer(set, await createConversation(deps, tenant, request, body)),
      { scope: ['channel'], body: CreateBody, detail: { summary: 'Create a conversation', tags: ['conversations'] } })
    .get('/v1/conversations', ({ query, tenant }) => listConversations(deps, tenant.tenantId, query),
      { scope: ['console'], query: ListQuery, detail: { summary: 'List conversations, newest first', tags: ['conversations'] } })
    .get('/v1/conversations/:id', async ({ params: { id }, tenant }) => {
      const conversation = await deps.storage.chat.get(tenant.tenantId, id)
      if (!conversation) throw notFound(id)
      const messages = await deps.storage.messages.list(id)
      return { ...conversationView(conversation), messages: messages.map(messageView) }
    }, { scope: ['channel', 'console', 'customer'], params: ConversationParams, detail: { summary: 'A conversation with its transcript', tags: ['conversations'] } })
    .post('/v1/conversations/:id/close', async ({ params: { id }, body, tenant }) => {
      await closeConversation(deps.inbox, tenant.tenantId, id, body?.reason ?? 'closed by the customer').catch(unavailable)
      return conversationView((await deps.storage.chat.get(tenant.tenantId, id))!)
    }, {
      scope: ['channel', 'console', 'customer'], params: ConversationParams,
      body: t.Optional(t.Object({ reason: t.Optional(t.String({ maxLength: 500 })) }, { additionalProperties: false })),
      detail: { summary: 'Close a conversation', tags: ['conversations'] },
    })
    .post('/v1/conversations/:id/csat', async ({ params: { id }, body, tenant }) => {
      if (!(await deps.storage.chat.rate(tenant.tenantId, id, body.rating, body.comment))) throw notFound(id)
      return { conversationId: id, rating: body.rating, comment: body.comment ?? null }
    }, {
      scope: ['channel', 'customer'], params: ConversationParams,
      body: t.Object({ rating: t.Integer({ minimum: 1, maximum: 5 }), comment: t.Optional(t.String({ maxLength: 2000 })) }, { additionalProperties: false }),
      detail: { summary: 'Rate a conversation (CSAT, 1-5)', tags: ['conversations'] },
    })
}

export function messageView(m: { id: string; seq: number; role: string; text: string; turnId: string | null; createdAt: Date }) {
  return { id: m.id, seq: m.seq, role: m.role, text: m.text, replyTo: m.turnId, createdAt: m.createdAt.toISOString() }
}

/** A queue that cannot take the write is a 503 the client may retry, not a 500. */
export function unavailable(e: unknown): never {
  if (e instanceof AppError) throw e
  throw new RetryableError('storage.unavailable', 'the message queue is unavailable, retry shortly', 1000, { cause: e })
}
