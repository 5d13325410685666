// Campaign occurrences (runs): opened once per occurrence whoever notices it first, decided page by page under
// the tenant's lock (so frequency caps hold across campaigns running at once), paused, resumed and finished.
import type { Sql } from '../postgres/client.ts'
import { audiencePage, countAudience, type AudienceMember, type AudienceQuery } from './audience.ts'

export type RunStatus = 'queued' | 'running' | 'paused' | 'done'

export interface OutreachRun {
  id: string
  tenantId: string
  campaign: string
  occurrence: string
  campaignVersion: number
  spec: Record<string, unknown>
  dryRun: boolean
  orderIds: string[] | null
  customerEmails: string[] | null
  status: RunStatus
  cursor: string | null
  decidedAll: boolean
  starts: number
  total: number | null
  createdAt: Date
  finishedAt: Date | null
}

export interface NewRun {
  tenantId: string
  campaign: string
  occurrence: string
  campaignVersion: number
  spec: Record<string, unknown>
  dryRun?: boolean
  orderIds?: string[]
  customerEmails?: string[]
  /** The campaign is paused: the occurrence is recorded, and runs when it resumes. */
  paused?: boolean
}

/** One customer's decision as stored: the delivery row's id is the message id of the send. */
export interface DecidedRow {
  customerRef: string
  status: 'pending' | 'deferred' | 'skipped' | 'would_send'
  reason: string | null
  dueAt: number | null
  address: string | null
  text: string | null
}

const columns = `id, tenant_id as "tenantId", campaign, occurrence, campaign_version as "campaignVersion", spec, dry_run as "dryRun",
  order_ids as "orderIds", customer_emails as "customerEmails", status, cursor, decided_all as "decidedAll", starts, total, created_at as "createdAt", finished_at as "finishedAt"`

/** The delivery id, which is also the outreach message's id: stable for (run, customer). */
const deliveryId = (runId: string, customerRef: string) => `${runId}.${customerRef}`

export function createRuns(sql: Sql) {
  return {
    /** The occurrence's run, created if it is new (`created`). */
    async open(r: NewRun): Promise<{ run: OutreachRun; created: boolean }> {
      const id = `run_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`
      const [row] = await sql<(OutreachRun & { created: boolean })[]>`insert into outreach_runs
        (id, tenant_id, campaign, occurrence, campaign_version, spec, dry_run, order_ids, customer_emails, status)
        values (${id}, ${r.tenantId}, ${r.campaign}, ${r.occurrence}, ${r.campaignVersion}, ${sql.json(r.spec as never)},
          ${r.dryRun ?? false}, ${r.orderIds ?? null}, ${r.customerEmails ?? null}, ${r.paused ? 'paused' : 'queued'})
        on conflict (tenant_id, campaign, occurrence) do update set tenant_id = excluded.tenant_id
        returning ${sql.unsafe(columns)}, (xmax = 0) as created`
      const { created, ...run } = row!
      return { run, created }
    },
    async get(id: string): Promise<OutreachRun | undefined> {
      const [row] = await sql<OutreachRun[]>`select ${sql.unsafe(columns)} from outreach_runs where id = ${id}`
      return row
    },
    /** The tenant's runs of one campaign, newest first. */
    async list(tenantId: string, campaign: string, limit = 50): Promise<OutreachRun[]> {
      return sql<OutreachRun[]>`select ${sql.unsafe(columns)} from outreach_runs where tenant_id = ${tenantId} and campaign = ${campaign}
        order by created_at desc, id limit ${limit}`
    },
    /** Runs that should be making progress: queued or running (a crashed worker's included). */
    async active(): Promise<string[]> {
      const rows = await sql<{ id: string }[]>`select id from outreach_runs where status in ('queued', 'running') order by created_at`
      return rows.map((r) => r.id)
    },
    /** A worker starts (or resumes) the run: answers the run as started, or undefined when it is paused or done. */
    async start(id: string): Promise<OutreachRun | undefined> {
      const [row] = await sql<OutreachRun[]>`update outreach_runs set status = 'running', starts = starts + 1
        where id = ${id} and status in ('queued', 'running') returning ${sql.unsafe(columns)}`
      return row
    },
    /** Moves a run between states; `from` guards against overtaking a concurrent change. */
    async setStatus(id: string, to: RunStatus, from: readonly RunStatus[]): Promise<boolean> {
      const rows = await sql`update outreach_runs set status = ${to}, finished_at = ${to === 'done' ? sql`now()` : null}
        where id = ${id} and status = any(${from as RunStatus[]}::text[]) returning 1`
      return rows.length > 0
    },
    /**
     * Pauses every run of a campaign with work left (deciding, sending, or messages deferred past quiet hours), or
     * resumes the paused ones; answers the ids changed.
     */
    async setPaused(tenantId: string, campaign: string, paused: boolean): Promise<string[]> {
      const which = paused
        ? sql`(r.status in ('queued', 'running') or (r.status = 'done'
            and exists (select 1 from outreach_deliveries d where d.run_id = r.id and d.status = 'deferred')))`
        : sql`r.status = 'paused'`
      const rows = await sql<{ id: string }[]>`update outreach_runs r set status = ${paused ? 'paused' : 'queued'}
        where r.tenant_id = ${tenantId} and r.campaign = ${campaign} and ${which} returning r.id`
      return rows.map((r) => r.id)
    },
    async setTotal(id: string, q: AudienceQuery): Promise<number> {
      const total = await countAudience(sql, q)
      await sql`update outreach_runs set total = ${total} where id = ${id} and total is null`
      return total
    },
    /**
     * Decides the next page: under the tenant's lock, loads the customers after the run's cursor with their facts,
     * lets `decide` judge them, stores every decision and moves the cursor, in one transaction. Answers how many
     * customers the page held (0: the audience is exhausted, and the run is marked decided).
     */
    async decidePage(run: OutreachRun, q: AudienceQuery, limit: number, decide: (page: AudienceMember[]) => DecidedRow[]): Promise<number> {
      return sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(hashtext(${`outreach:${run.tenantId}`}))`
        const [current] = await tx<{ cursor: string | null }[]>`select cursor from outreach_runs where id = ${run.id} for update`
        const page = await audiencePage(tx as unknown as Sql, q, current?.cursor ?? null, limit)
        if (page.length === 0) {
          await tx`update outreach_runs set decided_all = true where id = ${run.id}`
          return 0
        }
        await insertDecisions(tx as unknown as Sql, run, decide(page))
        await tx`update outreach_runs set cursor = ${page[page.length - 1]!.customerRef} where id = ${run.id}`
        return page.length
      })
    },
  }
}

async function insertDecisions(sql: Sql, run: OutreachRun, rows: DecidedRow[]): Promise<void> {
  if (rows.length === 0) return
  const col = <T>(f: (r: DecidedRow) => T) => rows.map(f)
  await sql`insert into outreach_deliveries (id, run_id, tenant_id, customer_ref, status, reason, due_at, address, text)
    select d.id, ${run.id}, ${run.tenantId}, d.customer_ref, d.status, d.reason, d.due_at, d.address, d.text
    from unnest(${col((r) => deliveryId(run.id, r.customerRef))}::text[], ${col((r) => r.customerRef)}::text[],
      ${col((r) => r.status)}::text[], ${col((r) => r.reason)}::text[],
      ${col((r) => (r.dueAt === null ? null : new Date(r.dueAt).toISOString()))}::timestamptz[],
      ${col((r) => r.address)}::text[], ${col((r) => r.text)}::text[])
      as d(id, customer_ref, status, reason, due_at, address, text)
    on conflict (run_id, customer_ref) do nothing`
}

export type Runs = ReturnType<typeof createRuns>
