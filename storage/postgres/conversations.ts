// Conversations: identity, channel, agent and status. The warm tier's source of truth.
import type { Sql } from './client.ts'

export type ConversationStatus = 'open' | 'escalated' | 'closed'

/** What happens to messages that arrive while a turn runs: answered in order, or merged into it. */
export type DoubleTexting = 'queue' | 'merge'

export interface Conversation {
  id: string
  tenantId: string
  customerId: string | null
  channel: string
  agent: string
  status: ConversationStatus
  doubleTexting: DoubleTexting
  metadata: Record<string, unknown>
  /** The tenant's backend signed the customer's identity: their other conversations may be context. */
  identityVerified: boolean
  createdAt: Date
  updatedAt: Date
}

export interface NewConversation {
  id: string
  tenantId?: string
  customerId?: string
  channel?: string
  agent?: string
}

export function createConversations(sql: Sql) {
  return {
    /** Creates the conversation unless it exists; never changes an existing one. */
    async ensure(c: NewConversation): Promise<void> {
      await sql`insert into conversations (id, tenant_id, customer_id, channel, agent)
        values (${c.id}, ${c.tenantId ?? 'default'}, ${c.customerId ?? null}, ${c.channel ?? 'chat'}, ${c.agent ?? 'demo'})
        on conflict (id) do nothing`
    },
    async get(id: string): Promise<Conversation | undefined> {
      const [row] = await sql<Conversation[]>`select id, tenant_id as "tenantId", customer_id as "customerId", channel,
        agent, status, double_texting as "doubleTexting", metadata, identity_verified as "identityVerified", created_at as "createdAt", updated_at as "updatedAt" from conversations where id = ${id}`
      return row
    },
    /** The customer of this conversation was erased: the conversation must never be written again. */
    async isErased(id: string): Promise<boolean> {
      const [row] = await sql`select 1 from erased_conversations where id = ${id}`
      return row !== undefined
    },
    /** Hands the conversation to another agent (a policy's topic handoff). */
    async setAgent(id: string, agent: string): Promise<void> {
      await sql`update conversations set agent = ${agent}, updated_at = now() where id = ${id}`
    },
    /** Sets the status; a close the conversation was reopened after (see `reopened_at`) is stale and changes nothing. */
    async setStatus(id: string, status: ConversationStatus): Promise<void> {
      await sql`update conversations set status = ${status}, updated_at = now(),
        closed_at = case when ${status} = 'closed' then coalesce(closed_at, now()) else closed_at end
        where id = ${id} and not (${status} = 'closed' and reopened_at is not null and reopened_at > closed_at)`
    },
  }
}
export type Conversations = ReturnType<typeof createConversations>
