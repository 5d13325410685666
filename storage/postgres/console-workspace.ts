// What people write in the console besides replies: internal notes (never sent to the customer), the tenant's
// canned responses, ratings of the handoffs they received, and QA reviews. Every query is scoped by tenant.
import type { Sql } from './client.ts'

export interface ConversationNote {
  id: string
  conversationId: string
  authorId: string
  authorName: string
  text: string
  createdAt: Date
}

export interface CannedResponse {
  id: string
  title: string
  text: string
  createdBy: string
  createdAt: Date
}

export interface HandoffRating {
  escalationId: string
  userId: string
  hadWhatNeeded: boolean
  missing: string[]
  comment: string | null
  createdAt: Date
}

export interface QaReview {
  id: string
  conversationId: string
  reviewerId: string
  scores: Record<string, number>
  score: number
  rubricVersion: string
  comment: string | null
  createdAt: Date
}

const newId = (prefix: string) => `${prefix}_${Bun.randomUUIDv7().replaceAll('-', '')}`

export function createConsoleWorkspace(sql: Sql) {
  return {
    /** Adds a note to a conversation of the tenant; undefined when the tenant has no such conversation. */
    async addNote(tenantId: string, n: { conversationId: string; authorId: string; authorName: string; text: string }): Promise<ConversationNote | undefined> {
      const [row] = await sql<ConversationNote[]>`insert into conversation_notes (id, conversation_id, tenant_id, author_id, author_name, text)
        select ${newId('note')}, id, tenant_id, ${n.authorId}, ${n.authorName}, ${n.text} from conversations
        where id = ${n.conversationId} and tenant_id = ${tenantId}
        returning id, conversation_id as "conversationId", author_id as "authorId", author_name as "authorName", text, created_at as "createdAt"`
      return row
    },
    async notes(tenantId: string, conversationId: string): Promise<ConversationNote[]> {
      return sql<ConversationNote[]>`select id, conversation_id as "conversationId", author_id as "authorId", author_name as "authorName",
        text, created_at as "createdAt" from conversation_notes where tenant_id = ${tenantId} and conversation_id = ${conversationId}
        order by created_at, id`
    },
    async cannedResponses(tenantId: string): Promise<CannedResponse[]> {
      return sql<CannedResponse[]>`select id, title, text, created_by as "createdBy", created_at as "createdAt" from canned_responses
        where tenant_id = ${tenantId} order by lower(title)`
    },
    /** Adds a canned response; undefined when the tenant already has one with this title. */
    async addCannedResponse(tenantId: string, c: { title: string; text: string; createdBy: string }): Promise<CannedResponse | undefined> {
      const [row] = await sql<CannedResponse[]>`insert into canned_responses (id, tenant_id, title, text, created_by)
        values (${newId('can')}, ${tenantId}, ${c.title}, ${c.text}, ${c.createdBy}) on conflict do nothing
        returning id, title, text, created_by as "createdBy", created_at as "createdAt"`
      return row
    },
    async removeCannedResponse(tenantId: string, id: string): Promise<boolean> {
      return (await sql`delete from canned_responses where tenant_id = ${tenantId} and id = ${id}`).count === 1
    },
    /** Records (or replaces) the rating of a handoff of the tenant; undefined when there is no such handoff. */
    async rateHandoff(tenantId: string, r: Omit<HandoffRating, 'createdAt'>): Promise<HandoffRating | undefined> {
      const [row] = await sql<HandoffRating[]>`insert into handoff_ratings (escalation_id, conversation_id, tenant_id, user_id, had_what_needed, missing, comment)
        select e.id, e.conversation_id, c.tenant_id, ${r.userId}, ${r.hadWhatNeeded}, ${r.missing}, ${r.comment}
        from escalations e join conversations c on c.id = e.conversation_id where e.id = ${r.escalationId} and c.tenant_id = ${tenantId}
        on conflict (escalation_id) do update set user_id = excluded.user_id, had_what_needed = excluded.had_what_needed,
          missing = excluded.missing, comment = excluded.comment, created_at = now()
        returning escalation_id as "escalationId", user_id as "userId", had_what_needed as "hadWhatNeeded", missing, comment,
          created_at as "createdAt"`
      return row
    },
    async ratings(tenantId: string, escalationIds: string[]): Promise<HandoffRating[]> {
      return sql<HandoffRating[]>`select escalation_id as "escalationId", user_id as "userId", had_what_needed as "hadWhatNeeded",
        missing, comment, created_at as "createdAt" from handoff_ratings where tenant_id = ${tenantId} and escalation_id = any(${escalationIds}::text[])`
    },
    /** Records (or replaces) a reviewer's review of a conversation of the tenant; undefined when there is no such conversation. */
    async review(tenantId: string, r: Omit<QaReview, 'id' | 'createdAt'>): Promise<QaReview | undefined> {
      const [row] = await sql<QaReview[]>`insert into qa_reviews (id, conversation_id, tenant_id, reviewer_id, scores, score, rubric_version, comment)
        select ${newId('qa')}, id, tenant_id, ${r.reviewerId}, ${sql.json(r.scores)}, ${r.score}, ${r.rubricVersion}, ${r.comment}
        from conversations where id = ${r.conversationId} and tenant_id = ${tenantId}
        on conflict (conversation_id, reviewer_id) do update set scores = excluded.scores, score = excluded.score,
          rubric_version = excluded.rubric_version, comment = excluded.comment, created_at = now()
        returning id, conversation_id as "conversationId", reviewer_id as "reviewerId", scores, score, rubric_version as "rubricVersion",
          comment, created_at as "createdAt"`
      return row
    },
    async reviews(tenantId: string, conversationId: string): Promise<QaReview[]> {
      return sql<QaReview[]>`select id, conversation_id as "conversationId", reviewer_id as "reviewerId", scores, score,
        rubric_version as "rubricVersion", comment, created_at as "createdAt" from qa_reviews
        where tenant_id = ${tenantId} and conversation_id = ${conversationId} order by created_at`
    },
  }
}
export type ConsoleWorkspace = ReturnType<typeof createConsoleWorkspace>
