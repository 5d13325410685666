// The session store: reads fall through hot (Redis) → warm (Postgres) → cold (blob archive) and re-warm;
// appends write warm and hot together. The conversation actor's only way to its history.
import type { Sql } from '../postgres/client.ts'
import type { NewMessage, StoredMessage } from '../postgres/messages.ts'
import {
  appendMany, byIds, customerMessages, warmWindow, type AppendedRow, type AppendRow, type ConversationContext, type RelatedMessage,
} from '../postgres/session-messages.ts'
import type { HotMeta, HotSessions } from '../redis/hot-sessions.ts'
import type { Archiver } from '../archive/archiver.ts'
import { createBatcher } from './batcher.ts'

export type Tier = 'hot' | 'warm' | 'cold' | 'none'

export interface SessionLoad {
  messages: StoredMessage[]
  /** Where the messages came from: `none` for a conversation with no messages yet. */
  tier: Tier
}

export interface SessionsDeps {
  sql: Sql
  hot: HotSessions
  archiver: Pick<Archiver, 'restore' | 'customerMessages'>
  /** Hot TTL of a tenant's agent, from the retention policies. */
  hotTtlMs: (tenantId: string, agent: string) => number
  /** How far back a new conversation sees the customer's other conversations. @defaultValue 30 days */
  lookbackMs: number
  /** How many of the customer's archived conversations (most recent first) that look-back reads from cold. @defaultValue 3 */
  relatedArchives: number
}

export function createSessions(deps: SessionsDeps) {
  const { sql, hot } = deps
  const meta = (tenantId: string, agent: string) => ({ tenantId, agent, ttlMs: deps.hotTtlMs(tenantId, agent) })
  const writer = createBatcher<AppendRow, AppendedRow>(async (rows) => {
    const stored = await appendMany(sql, rows)
    await writeThrough(hot, rows, stored, meta)
    return stored
  })

  async function load(conversationId: string, options: { limit?: number } = {}): Promise<SessionLoad> {
    const limit = options.limit ?? hot.maxMessages
    const cached = limit <= hot.maxMessages ? await hot.read(conversationId, limit) : undefined
    if (cached) return { messages: cached, tier: 'hot' }
    let warm = await warmWindow(sql, conversationId, Math.max(limit, hot.maxMessages))
    let tier: Tier = warm.messages.length > 0 ? 'warm' : 'none'
    if (warm.archived && (await deps.archiver.restore(conversationId))) {
      warm = await warmWindow(sql, conversationId, Math.max(limit, hot.maxMessages))
      tier = 'cold'
    }
    await hot.replace(conversationId, warm.messages, meta(warm.tenantId, warm.agent))
    return { messages: warm.messages.slice(-limit), tier }
  }

  return {
    load,
    /**
     * Stores messages (creating conversations as needed) and writes them through to hot. Idempotent per id:
     * a redelivered message returns its stored row with `inserted: false`. Concurrent calls share one statement.
     */
    append: (messages: NewMessage[], conversation?: ConversationContext): Promise<AppendedRow[]> =>
      messages.length === 0 ? Promise.resolve([]) : writer.submit(messages.map((m) => ({ ...m, conversation }))),
    /**
     * Writes through to hot messages that another path (turn checkpoints) already stored in warm: rows as that
     * path returned them, or ids to read back when it did not return the row (a redelivered turn).
     */
    async cacheWritten(conversationId: string, written: Array<StoredMessage | string>): Promise<void> {
      const ids = written.filter((w) => typeof w === 'string')
      const known = written.filter((w) => typeof w !== 'string')
      const rows = ids.length > 0 ? [...known, ...(await byIds(sql, ids))].sort((a, b) => Number(a.seq) - Number(b.seq)) : known
      if (rows.length > 0) await hot.append(conversationId, rows)
    },
    /**
     * The customer's recent messages in their other conversations (any channel) within the look-back, oldest
     * first: warm, plus the archives of their `relatedArchives` most recently active archived conversations.
     */
    async related(customerId: string, options: { excludeConversationId?: string; limit?: number; lookbackMs?: number; now?: Date } = {}): Promise<RelatedMessage[]> {
      const since = new Date((options.now ?? new Date()).getTime() - (options.lookbackMs ?? deps.lookbackMs))
      const limit = options.limit ?? hot.maxMessages
      const excludeConversationId = options.excludeConversationId
      const warm = await customerMessages(sql, customerId, since, limit, excludeConversationId)
      // A full warm window bounds the cold read: only archives active after its oldest message can change it.
      const from = (warm.length === limit ? warm[0]?.createdAt : undefined) ?? since
      const cold = await deps.archiver.customerMessages(customerId, from, { conversations: deps.relatedArchives, excludeConversationId })
      return latest([...warm, ...cold], limit)
    },
    /** Drops conversations from hot (after an out-of-band change to their warm rows). */
    evict: (conversationIds: string[]) => hot.evict(conversationIds),
  }
}
export type Sessions = ReturnType<typeof createSessions>

/** One hot write per conversation of the batch; a new conversation starts its hot set. */
async function writeThrough(hot: HotSessions, rows: AppendRow[], stored: AppendedRow[], meta: (tenantId: string, agent: string) => HotMeta): Promise<void> {
  const groups = new Map<string, { rows: AppendedRow[]; fresh: boolean; context?: ConversationContext }>()
  stored.forEach((m, i) => {
    const group = groups.get(m.conversationId) ?? { rows: [], fresh: false, context: rows[i]?.conversation }
    group.rows.push(m)
    group.fresh ||= m.fresh
    groups.set(m.conversationId, group)
  })
  await Promise.all([...groups].map(([conversationId, g]) =>
    hot.append(conversationId, g.rows, g.fresh ? meta(g.context?.tenantId ?? 'default', g.context?.agent ?? 'demo') : undefined)))
}

/** The last `limit` messages, oldest first; a message read from both tiers (a restore between reads) counts once. */
function latest(messages: RelatedMessage[], limit: number): RelatedMessage[] {
  const unique = [...new Map(messages.map((m) => [m.id, m])).values()]
  unique.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.seq - b.seq)
  return unique.slice(Math.max(0, unique.length - limit))
}
