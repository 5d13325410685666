// A tenant's handoff queues (skills, priority, what they take, assignment, SLA targets), round-robin assignment
// among available people, and the figures an honest expected wait is made of. Every query is scoped by tenant.
import type { Sql } from './client.ts'

export type Assignment = 'take' | 'round_robin'

export interface HandoffQueue {
  id: string
  tenantId: string
  name: string
  priority: number
  skills: string[]
  intents: string[]
  categories: string[]
  assignment: Assignment
  firstResponseSlaS: number
  resolutionSlaS: number
  holdingIntervalS: number
  isDefault: boolean
}

export type QueueSettings = Omit<HandoffQueue, 'id' | 'tenantId' | 'isDefault'>

/** What a waiting customer can honestly be told. */
export interface WaitFigures {
  /** Handoffs of the queue waiting longer than this one. */
  ahead: number
  /** People available now who have the queue's skills. */
  available: number
  /** Median time from escalation to a person taking it, over the queue's recent handoffs; null without history. */
  medianWaitS: number | null
}

const columns = `id, tenant_id as "tenantId", name, priority, skills, intents, categories, assignment,
  first_response_sla_s as "firstResponseSlaS", resolution_sla_s as "resolutionSlaS", holding_interval_s as "holdingIntervalS",
  is_default as "isDefault"`

/** The queue every tenant has: it takes what no other queue takes. */
export const DEFAULT_QUEUE: QueueSettings = {
  name: 'General', priority: 0, skills: [], intents: [], categories: [], assignment: 'take',
  firstResponseSlaS: 300, resolutionSlaS: 3600, holdingIntervalS: 300,
}

const WAIT_SAMPLES = 50

export function createHandoffQueues(sql: Sql) {
  const list = (tenantId: string) =>
    sql<HandoffQueue[]>`select ${sql.unsafe(columns)} from handoff_queues where tenant_id = ${tenantId} order by priority desc, name`
  return {
    list,
    async get(tenantId: string, id: string): Promise<HandoffQueue | undefined> {
      const [row] = await sql<HandoffQueue[]>`select ${sql.unsafe(columns)} from handoff_queues where tenant_id = ${tenantId} and id = ${id}`
      return row
    },
    /** The tenant's queues, creating its default queue the first time. */
    async ensure(tenantId: string): Promise<HandoffQueue[]> {
      const queues = await list(tenantId)
      if (queues.some((q) => q.isDefault)) return queues
      await insert(sql, tenantId, DEFAULT_QUEUE, true)
      return list(tenantId)
    },
    /** Creates a queue; undefined when the tenant already has one of that name. */
    async create(tenantId: string, settings: QueueSettings): Promise<HandoffQueue | undefined> {
      return insert(sql, tenantId, settings, false)
    },
    async update(tenantId: string, id: string, s: QueueSettings): Promise<HandoffQueue | undefined> {
      const [row] = await sql<HandoffQueue[]>`update handoff_queues set name = ${s.name}, priority = ${s.priority}, skills = ${s.skills},
        intents = ${s.intents}, categories = ${s.categories}, assignment = ${s.assignment}, first_response_sla_s = ${s.firstResponseSlaS},
        resolution_sla_s = ${s.resolutionSlaS}, holding_interval_s = ${s.holdingIntervalS}
        where tenant_id = ${tenantId} and id = ${id} returning ${sql.unsafe(columns)}`
      return row
    },
    /**
     * Assigns an open handoff to the available person with the queue's skills who was assigned least recently;
     * returns their email, or undefined when nobody is available (it stays open for taking).
     */
    async assignRoundRobin(tenantId: string, escalationId: string, skills: string[], at: Date): Promise<string | undefined> {
      const [row] = await sql<{ email: string }[]>`with pick as (
          select id, email from console_users where tenant_id = ${tenantId} and available and disabled_at is null
            and role in ('agent', 'supervisor') and skills @> ${skills}::text[]
          order by last_assigned_at nulls first, id limit 1 for update skip locked),
        assigned as (
          update escalations set status = 'taken', taken_by = (select email from pick), taken_at = ${at}
          where id = ${escalationId} and status = 'open' and exists (select 1 from pick) returning id)
        update console_users set last_assigned_at = ${at} where id = (select id from pick) and exists (select 1 from assigned)
        returning email`
      return row?.email
    },
    async waitFigures(tenantId: string, queueId: string, escalationId: string): Promise<WaitFigures> {
      const [row] = await sql<WaitFigures[]>`select
        (select count(*)::int from escalations o where o.queue_id = ${queueId} and o.status = 'open'
          and o.created_at < (select created_at from escalations where id = ${escalationId})) as ahead,
        (select count(*)::int from console_users u where u.tenant_id = ${tenantId} and u.available and u.disabled_at is null
          and u.role in ('agent', 'supervisor') and u.skills @> (select skills from handoff_queues where id = ${queueId})) as available,
        (select percentile_cont(0.5) within group (order by extract(epoch from w.taken_at - w.created_at))::float
          from (select taken_at, created_at from escalations where queue_id = ${queueId} and taken_at is not null
            order by taken_at desc limit ${WAIT_SAMPLES}) w) as "medianWaitS"`
      return row ?? { ahead: 0, available: 0, medianWaitS: null }
    },
  }
}
export type HandoffQueues = ReturnType<typeof createHandoffQueues>

async function insert(sql: Sql, tenantId: string, s: QueueSettings, isDefault: boolean): Promise<HandoffQueue | undefined> {
  const id = `que_${Bun.randomUUIDv7().replaceAll('-', '')}`
  const [row] = await sql<HandoffQueue[]>`insert into handoff_queues (id, tenant_id, name, priority, skills, intents, categories,
      assignment, first_response_sla_s, resolution_sla_s, holding_interval_s, is_default)
    values (${id}, ${tenantId}, ${s.name}, ${s.priority}, ${s.skills}, ${s.intents}, ${s.categories}, ${s.assignment},
      ${s.firstResponseSlaS}, ${s.resolutionSlaS}, ${s.holdingIntervalS}, ${isDefault})
    on conflict do nothing returning ${sql.unsafe(columns)}`
  return row
}
