// Customer tokens for one conversation, minted by the tenant's server (a channel key) for its widget or app: the
// browser then never holds a key that reads every conversation, nor puts one in a stream URL.
import { Elysia } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import type { Storage } from '../../storage/index.ts'
import { requestGuard, type GuardDeps } from '../guard.ts'
import { ConversationParams } from '../schemas.ts'

export interface CustomerTokenRouteDeps extends GuardDeps {
  storage: Pick<Storage, 'chat'>
}

export function customerTokenRoutes(deps: CustomerTokenRouteDeps) {
  return new Elysia({ name: 'customer-tokens' })
    .use(requestGuard(deps))
    .post('/v1/conversations/:id/customer-token', async ({ params: { id }, tenant, set }) => {
      if (!(await deps.storage.chat.get(tenant.tenantId, id))) throw new AppError('not_found', `conversation ${id} not found`)
      const issued = await deps.customerTokens.issue(tenant.tenantId, id)
      set.status = 201
      return { conversationId: id, customerToken: issued.token, expiresAt: new Date(issued.expiresAt).toISOString() }
    }, {
      scope: ['channel'], params: ConversationParams,
      detail: {
        summary: 'A customer token for one conversation (widgets and apps hold this, never a tenant key)', tags: ['conversations'],
        description: 'Send it as `Authorization: Bearer sbc.…`, or as `?access_token=` on the events and stream URLs. It can post '
          + 'messages, read, stream, rate and close this conversation only, until `expiresAt`.',
      },
    })
}
