// A campaign's audience over the retail tools' tables, one page at a time in customer order (keyset), with
// everything restraint needs about each customer loaded in the same query: consent on the channel, the
// tenant's suppression list, an open escalation, recent proactive messages, their time zone.
// Filters name fields from a closed map to columns: a campaign never writes SQL.
import type { Candidate } from '../../lib/outreach-candidate.ts'
import { TerminalError } from '../../lib/errors.ts'
import type { Sql } from '../postgres/client.ts'

export interface AudienceQuery {
  tenantId: string
  source: 'retail.users' | 'retail.orders'
  where: ReadonlyArray<{ field: string; in: readonly string[] }>
  channel: string
  /** Event runs: only customers of these orders. */
  orderIds?: readonly string[] | null
  /** Ticket runs: only the customers with these emails (lower-case). */
  emails?: readonly string[] | null
  /** Messages decided since this moment count toward the frequency cap. */
  capSinceMs: number
}

/** One customer with the facts restraint needs (the shape `decideAll` in outreach/ takes). */
/** One audience row: the candidate outreach/ decides on. */
export type AudienceMember = Candidate

/** Filterable columns per source; resources/ validates campaigns against the same names. */
export const AUDIENCE_COLUMNS = {
  'retail.users': { user_id: 'u.user_id', city: 'u.city', state: 'u.state', country: 'u.country', zip: 'u.zip' },
  'retail.orders': {
    user_id: 'o.user_id', order_id: 'o.order_id', status: 'o.status', city: 'o.city', state: 'o.state', country: 'o.country', zip: 'o.zip',
  },
} as const satisfies Record<AudienceQuery['source'], Record<string, string>>

interface Row {
  user_id: string
  first_name: string
  last_name: string
  email: string | null
  city: string
  state: string
  country: string
  order_ids: string[] | null
  statuses: string | null
  consent: 'in' | 'out' | null
  suppressed: boolean
  open_escalation: boolean
  recent: number
  time_zone: string | null
}

function filters(sql: Sql, q: AudienceQuery) {
  const columns: Record<string, string> = AUDIENCE_COLUMNS[q.source]
  let clause = sql``
  for (const f of q.where) {
    const column = columns[f.field]
    if (!column) throw new TerminalError('resource.invalid', `audience field "${f.field}" is not filterable for ${q.source}`)
    clause = sql`${clause} and ${sql.unsafe(column)} = any(${f.in as string[]}::text[])`
  }
  return clause
}

/** The page's customers (user id, and for order audiences their matching orders), after `cursor`. */
function matched(sql: Sql, q: AudienceQuery, cursor: string | null, limit: number) {
  const after = cursor === null ? sql`` : sql`and u.user_id > ${cursor}`
  const byEmail = (user: string) => q.emails
    ? sql`and ${sql.unsafe(user)} in (select user_id from retail_users where lower(email) = any(${q.emails as string[]}::text[]))` : sql``
  if (q.source === 'retail.users') {
    const event = q.orderIds ? sql`and exists (select 1 from retail_orders o where o.user_id = u.user_id and o.order_id = any(${q.orderIds as string[]}::text[]))` : sql``
    return sql`select u.user_id, null::text[] as order_ids, null::text as statuses from retail_users u
      where true ${after} ${event} ${byEmail('u.user_id')} ${filters(sql, q)} order by u.user_id limit ${limit}`
  }
  const orderAfter = cursor === null ? sql`` : sql`and o.user_id > ${cursor}`
  const event = q.orderIds ? sql`and o.order_id = any(${q.orderIds as string[]}::text[])` : sql``
  return sql`select o.user_id, array_agg(o.order_id order by o.order_id) as order_ids, string_agg(distinct o.status, ', ') as statuses
    from retail_orders o where true ${orderAfter} ${event} ${byEmail('o.user_id')} ${filters(sql, q)}
    group by o.user_id order by o.user_id limit ${limit}`
}

/** How many customers the audience holds (the progress figure's denominator). */
export async function countAudience(sql: Sql, q: AudienceQuery): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from (${matched(sql, q, null, 2_147_483_647)}) m`
  return row?.n ?? 0
}

/** Up to `limit` customers after `cursor`, in customer order, with their facts. */
export async function audiencePage(sql: Sql, q: AudienceQuery, cursor: string | null, limit: number): Promise<AudienceMember[]> {
  const since = new Date(q.capSinceMs)
  const rows = await sql<Row[]>`with m as (${matched(sql, q, cursor, limit)})
    select u.user_id, u.first_name, u.last_name, u.email, u.city, u.state, u.country, m.order_ids, m.statuses,
      c.status as consent, s.address is not null as suppressed, tz.time_zone,
      exists (select 1 from customer_identities ci
        join conversations cv on cv.customer_id = ci.customer_id and cv.tenant_id = ci.tenant_id
        join escalations e on e.conversation_id = cv.id and e.status in ('open', 'taken')
        where ci.tenant_id = ${q.tenantId} and ci.kind = 'email' and ci.value = lower(u.email)) as open_escalation,
      (select count(*)::int from outreach_deliveries d where d.tenant_id = ${q.tenantId} and d.customer_ref = u.user_id
        and d.status in ('pending', 'deferred', 'sent') and d.decided_at > ${since}) as recent
    from m join retail_users u on u.user_id = m.user_id
    left join outreach_consent c on c.tenant_id = ${q.tenantId} and c.customer_ref = u.user_id and c.channel = ${q.channel}
    left join outreach_suppressions s on s.tenant_id = ${q.tenantId} and s.address = lower(u.email)
    left join outreach_time_zones tz on tz.tenant_id = ${q.tenantId} and tz.customer_ref = u.user_id
    order by u.user_id`
  return rows.map(toMember)
}

function toMember(r: Row): AudienceMember {
  const fields: Record<string, string> = {
    first_name: r.first_name, last_name: r.last_name, email: r.email ?? '', city: r.city, state: r.state, country: r.country,
  }
  if (r.order_ids) Object.assign(fields, { order_ids: r.order_ids.join(', '), order_count: String(r.order_ids.length), status: r.statuses ?? '' })
  return {
    customerRef: r.user_id, address: r.email ? r.email.toLowerCase() : null, fields, consent: r.consent, suppressed: r.suppressed,
    openEscalation: r.open_escalation, recentMessages: r.recent, timeZone: r.time_zone, country: r.country, state: r.state,
  }
}
