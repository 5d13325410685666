// The Campaign resource: proactive outreach a team declares. What starts it (a cron schedule or an event),
// whom it reaches (an audience over the tools' data), what it says (a template filled from that data), on
// which channel, the agent that handles replies, and the restraint it runs under. Pure.
import { Type, type Static } from '@sinclair/typebox'
import { closed, PLATFORM_TENANT, ResourceName, Tenant } from './fields.ts'
import { templateVariables } from './template.ts'

const literals = <T extends string>(values: readonly T[], options: object = {}) => Type.Union(values.map((v) => Type.Literal(v)), options)

/** Where an audience comes from: the retail tools' customers, or their orders (one message per customer). */
export const AUDIENCE_SOURCES = ['retail.users', 'retail.orders'] as const
/** The fields an audience may filter on, per source: a closed list, so a campaign never writes SQL. */
export const AUDIENCE_FIELDS: Record<(typeof AUDIENCE_SOURCES)[number], readonly string[]> = {
  'retail.users': ['user_id', 'city', 'state', 'country', 'zip'],
  'retail.orders': ['user_id', 'order_id', 'status', 'city', 'state', 'country', 'zip'],
}
/** What a message template may use: the customer's fields, and for order audiences the matching orders. */
export const TEMPLATE_FIELDS: Record<(typeof AUDIENCE_SOURCES)[number], readonly string[]> = {
  'retail.users': ['first_name', 'last_name', 'email', 'city', 'state', 'country', 'campaign'],
  'retail.orders': ['first_name', 'last_name', 'email', 'city', 'state', 'country', 'campaign', 'order_ids', 'order_count', 'status'],
}
export const ORDER_EVENT = 'order.status_changed'
/** A ticket webhook (created or updated) whose requester has an email. */
export const TICKET_EVENT = 'ticket.updated'
export const OUTREACH_CHANNELS = ['email', 'sms', 'chat'] as const

const HourMinute = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, 24-hour' })
const TimeZone = Type.String({ default: 'UTC', minLength: 1, maxLength: 64, description: 'an IANA time zone, e.g. America/New_York' })

export const AudienceFilter = Type.Object({
  field: Type.String({ pattern: '^[a-z_]{1,32}$' }),
  /** The field's value is one of these. */
  in: Type.Array(Type.String({ maxLength: 200 }), { minItems: 1, maxItems: 1000 }),
}, closed)

export const CampaignSpec = Type.Object({
  tenant: Tenant,
  description: Type.Optional(Type.String({ maxLength: 500 })),
  /** Exactly one of `schedule` or `event`. */
  trigger: Type.Object({
    /** A cron pattern (five fields, or six with seconds first), fired through BullMQ job schedulers. */
    schedule: Type.Optional(Type.Object({
      cron: Type.String({ minLength: 9, maxLength: 100 }),
      /** @defaultValue 'UTC' */
      timeZone: TimeZone,
    }, closed)),
    /**
     * An order of the retail tools' database changed status, or a ticket webhook arrived (`to`: only into these
     * order statuses, or with these ticket statuses). A ticket reaches its requester, matched to the tools' customer by email.
     */
    event: Type.Optional(Type.Object({
      type: literals([ORDER_EVENT, TICKET_EVENT]),
      to: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 50 })),
    }, closed)),
  }, closed),
  audience: Type.Object({
    source: literals(AUDIENCE_SOURCES),
    /** Every filter must hold (AND); an event trigger also narrows the audience to the event's orders. */
    where: Type.Array(AudienceFilter, { default: [], maxItems: 20 }),
  }, closed),
  message: Type.Object({
    /** `{{first_name}}`, `{{order_ids}}`…: see the source's template fields. */
    template: Type.String({ minLength: 1, maxLength: 4000 }),
  }, closed),
  channel: literals(OUTREACH_CHANNELS),
  /** The agent that answers the customer's reply, told why we reached out. */
  replyAgent: ResourceName,
  consent: Type.Object({
    /** Contact only customers who opted in on this channel (marketing); otherwise anyone not opted out. @defaultValue false */
    requireOptIn: Type.Boolean({ default: false }),
  }, { ...closed, default: {} }),
  /** No message is sent between `start` and `end` in the customer's time zone: it waits until `end`. */
  quietHours: Type.Optional(Type.Object({
    start: HourMinute,
    end: HourMinute,
    /** For customers whose time zone is unknown. @defaultValue 'UTC' */
    defaultTimeZone: TimeZone,
  }, closed)),
  /** Paused: runs under way stop between pages and new occurrences wait; resuming continues them. @defaultValue false */
  paused: Type.Boolean({ default: false }),
  /** At most `max` proactive messages to one customer within `periodHours`, counting every campaign. */
  frequencyCap: Type.Optional(Type.Object({
    max: Type.Integer({ minimum: 1, maximum: 100 }),
    periodHours: Type.Integer({ minimum: 1, maximum: 24 * 90 }),
  }, closed)),
}, closed)
export type CampaignSpec = Static<typeof CampaignSpec>

/** Whether the runtime knows the IANA time zone. */
export const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

/** Problems the schema cannot express; each names its path. */
export function campaignProblems(spec: CampaignSpec): string[] {
  const problems: string[] = []
  if (spec.tenant === PLATFORM_TENANT) problems.push('/spec/tenant: a campaign reaches one tenant\'s customers: name the tenant')
  const { schedule, event } = spec.trigger
  if (!schedule === !event) problems.push('/spec/trigger: set exactly one of schedule or event')
  if (schedule) {
    const fields = schedule.cron.trim().split(/\s+/).length
    if (fields !== 5 && fields !== 6) problems.push('/spec/trigger/schedule/cron: a cron pattern has 5 fields (6 with seconds)')
    if (!isTimeZone(schedule.timeZone)) problems.push(`/spec/trigger/schedule/timeZone: unknown time zone "${schedule.timeZone}"`)
  }
  const fields = AUDIENCE_FIELDS[spec.audience.source]
  spec.audience.where.forEach((f, i) => {
    if (!fields.includes(f.field)) problems.push(`/spec/audience/where/${i}/field: "${f.field}" is not one of ${fields.join(', ')}`)
  })
  const known = TEMPLATE_FIELDS[spec.audience.source]
  for (const v of templateVariables(spec.message.template)) {
    if (!known.includes(v)) problems.push(`/spec/message/template: unknown variable {{${v}}} (one of ${known.join(', ')})`)
  }
  if (spec.quietHours) {
    if (spec.quietHours.start === spec.quietHours.end) problems.push('/spec/quietHours: start and end must differ')
    if (!isTimeZone(spec.quietHours.defaultTimeZone)) problems.push(`/spec/quietHours/defaultTimeZone: unknown time zone "${spec.quietHours.defaultTimeZone}"`)
  }
  return problems
}
