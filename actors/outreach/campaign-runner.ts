// Runs one campaign occurrence to its end: counts the audience (the progress figure), decides it page by page
// (each page's decisions and cursor committed together), sends what is due and schedules what quiet hours
// defer. A run resumed after a crash first sends what was decided but not yet sent: the delivery ids make
// every send idempotent, so no customer hears twice. Pausing stops it between pages; a dry run only decides.
import type { Clock } from '../../lib/clock.ts'
import { TerminalError } from '../../lib/errors.ts'
import type { Logger } from '../../lib/log.ts'
import { decideAll, type CampaignSpec, type Decision } from '../../outreach/index.ts'
import type { AudienceMember, AudienceQuery, DecidedRow, OutreachDelivery, OutreachRun, Storage } from '../../storage/index.ts'
import type { Deliverer } from './deliverer.ts'
import type { RuntimeObserver } from '../observer.ts'

const HOUR_MS = 3_600_000

export interface CampaignRunnerOptions {
  /** Customers decided per transaction. @defaultValue 1000 */
  pageSize?: number
  /** Messages delivered at once. @defaultValue 16 */
  sendConcurrency?: number
}

export interface CampaignRunnerDeps {
  storage: Pick<Storage, 'outreach'>
  deliverer: Deliverer
  clock: Clock
  log: Logger
  observer: Pick<RuntimeObserver, 'outreachDecided' | 'outreachSent'>
}

export type RunOutcome = 'finished' | 'interrupted'

/** The audience of a run: the campaign's, narrowed to an event's orders or a ticket's requester; caps count from one period back. */
export function audienceOf(run: OutreachRun, nowMs: number): AudienceQuery {
  const spec = run.spec as unknown as CampaignSpec
  return {
    tenantId: run.tenantId, source: spec.audience.source, where: spec.audience.where, channel: spec.channel, orderIds: run.orderIds,
    emails: run.customerEmails,
    capSinceMs: nowMs - (spec.frequencyCap?.periodHours ?? 0) * HOUR_MS,
  }
}

function toRow(m: AudienceMember, d: Decision, dryRun: boolean): DecidedRow {
  const base = { customerRef: m.customerRef, address: m.address, reason: null, dueAt: null, text: null }
  switch (d.outcome) {
    case 'skip': return { ...base, status: 'skipped', reason: d.reason }
    case 'send': return { ...base, status: dryRun ? 'would_send' : 'pending', text: d.text }
    case 'defer': return { ...base, status: dryRun ? 'would_send' : 'deferred', reason: dryRun ? 'quiet_hours' : null, dueAt: d.dueAt, text: d.text }
  }
}

export function createCampaignRunner(deps: CampaignRunnerDeps, options: CampaignRunnerOptions = {}) {
  const { outreach } = deps.storage
  const pageSize = options.pageSize ?? 1000
  const concurrency = options.sendConcurrency ?? 16

  /** Every row of one status after `after`, handed to `act` with bounded concurrency; answers the last id. */
  async function drain(run: OutreachRun, status: 'pending' | 'deferred', after: string, act: (d: OutreachDelivery) => Promise<void>): Promise<string> {
    let last = after
    for (;;) {
      const rows = await outreach.deliveries.inStatus(run.id, status, concurrency * 8, last)
      if (rows.length === 0) return last
      for (let i = 0; i < rows.length; i += concurrency) await Promise.all(rows.slice(i, i + concurrency).map(act))
      last = rows[rows.length - 1]!.id
    }
  }

  function decidePage(run: OutreachRun, spec: CampaignSpec, page: AudienceMember[]): DecidedRow[] {
    const rows = decideAll(page, spec, run.campaign, deps.clock.now()).map((d, i) => toRow(page[i]!, d, run.dryRun))
    const counts = new Map<string, number>()
    for (const r of rows) {
      const key = `${r.status === 'pending' ? 'send' : r.status}|${r.status === 'skipped' ? r.reason : 'none'}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    for (const [key, n] of counts) {
      const [outcome, reason] = key.split('|') as ['send' | 'deferred' | 'skipped' | 'would_send', string]
      deps.observer.outreachDecided(outcome, reason, n)
    }
    return rows
  }

  /**
   * One row's send or schedule. A refusal no retry fixes (an invalid message) skips that customer with the reason
   * and the error logged, so one bad row cannot hold the run forever; anything else fails the job, to be retried.
   */
  const guarded = (run: OutreachRun, act: (d: OutreachDelivery) => Promise<void>) => async (d: OutreachDelivery) => {
    try {
      await act(d)
    } catch (e) {
      if (!(e instanceof TerminalError)) throw e
      deps.log.error('outreach message refused', { runId: run.id, deliveryId: d.id, error: e })
      await outreach.deliveries.markSkipped(d.id, 'undeliverable')
    }
  }

  /** Runs (or resumes) the occurrence; `interrupted` when the worker is closing, to be resumed elsewhere. */
  async function run(runId: string, signal?: AbortSignal): Promise<RunOutcome> {
    let current = await outreach.runs.start(runId)
    if (!current) return 'finished'
    const spec = current.spec as unknown as CampaignSpec
    const query = audienceOf(current, deps.clock.now())
    if (current.total === null) await outreach.runs.setTotal(runId, query)
    const run: OutreachRun = current
    const sending = { pending: '', deferred: '' }
    const flush = async () => {
      if (run.dryRun) return
      sending.pending = await drain(run, 'pending', sending.pending, guarded(run, (d) => deps.deliverer.send(d, run)))
      sending.deferred = await drain(run, 'deferred', sending.deferred, guarded(run, (d) => deps.deliverer.schedule(d, run)))
    }
    await flush()
    while (!current.decidedAll) {
      if (signal?.aborted) return 'interrupted'
      const decided = await outreach.runs.decidePage(current, query, pageSize, (page) => decidePage(current!, spec, page))
      await flush()
      current = await outreach.runs.get(runId)
      if (!current || current.status === 'paused') return 'finished'
      if (decided === 0) break
    }
    await outreach.runs.setStatus(runId, 'done', ['running'])
    deps.log.info('campaign run finished', { runId, campaign: run.campaign, tenantId: run.tenantId, dryRun: run.dryRun })
    return 'finished'
  }

  return { run }
}
export type CampaignRunner = ReturnType<typeof createCampaignRunner>
