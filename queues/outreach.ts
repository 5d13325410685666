// Outreach's queues: one job per campaign run (a run id queued or running is not queued twice; a crashed
// worker's run resumes on another after the lock lapses), and BullMQ job schedulers that fire cron campaigns,
// one job per fire time however many workers watch them. The runner and the triggers own the work.
import { Queue, Worker, type Job } from 'bullmq'
import type Redis from 'ioredis'
import { createJobQueue, startJobWorker, type JobHandler } from './job-queue.ts'

const RUNS = 'outreach-runs'
const SCHEDULES = 'outreach-schedules'
// A failing run is queued again by the next reconcile tick, so its own retries stay few.
const ATTEMPTS = 3
const BACKOFF_MS = 1000

/** A cron campaign as its scheduler holds it (the actors' `ScheduledCampaign`, repeated: queues/ imports no actors). */
export interface CampaignSchedule {
  tenantId: string
  campaign: string
  cron: string
  timeZone: string
}

export interface OutreachQueueSet {
  enqueueRun(runId: string): Promise<void>
  syncSchedules(campaigns: readonly CampaignSchedule[]): Promise<void>
  close(): Promise<void>
}

export interface OutreachWorkerHandlers {
  run: JobHandler
  /** A scheduler fired for the campaign; `fireMs` is the scheduled time, the occurrence's key. */
  fired(tenantId: string, campaign: string, fireMs: number): Promise<void>
}

export interface OutreachWorkerOptions {
  /** A crashed worker's run resumes elsewhere after about this long. */
  lockDurationMs: number
  /** Runs at once per worker process. @defaultValue 2 */
  concurrency?: number
  onError?: (e: Error) => void
}

const schedulerId = (c: { tenantId: string; campaign: string }) => `${c.tenantId}/${c.campaign}`

export function createOutreachQueues(connection: Redis, prefix: string): OutreachQueueSet {
  // Finished jobs are removed at once: a paused run that resumes is queued again under the same id.
  const runs = createJobQueue(connection, prefix, RUNS, { attempts: ATTEMPTS, backoffMs: BACKOFF_MS, keepCompleted: true, keepFailed: true })
  const schedules = new Queue(SCHEDULES, { connection, prefix, skipVersionCheck: true })
  return {
    enqueueRun: (runId) => runs.enqueue(runId),
    async syncSchedules(campaigns) {
      const existing = new Map((await schedules.getJobSchedulers(0, -1)).map((s) => [s.key, s]))
      for (const c of campaigns) {
        const id = schedulerId(c)
        const held = existing.get(id)
        existing.delete(id)
        if (held && held.pattern === c.cron && held.tz === c.timeZone) continue
        await schedules.upsertJobScheduler(id, { pattern: c.cron, tz: c.timeZone }, {
          name: 'fire', data: { tenantId: c.tenantId, campaign: c.campaign }, opts: { removeOnComplete: 100, removeOnFail: 100 },
        })
      }
      for (const id of existing.keys()) await schedules.removeJobScheduler(id)
    },
    close: async () => {
      await runs.close()
      await schedules.close()
    },
  }
}

export function startOutreachWorkers(connection: Redis, prefix: string, handlers: OutreachWorkerHandlers, o: OutreachWorkerOptions) {
  const runs = startJobWorker(connection, prefix, RUNS, handlers.run, {
    concurrency: o.concurrency ?? 2, lockDurationMs: o.lockDurationMs, maxStalledCount: 10, onError: o.onError,
  })
  const fires = new Worker(SCHEDULES, async (job: Job<{ tenantId: string; campaign: string }>) => {
    await handlers.fired(job.data.tenantId, job.data.campaign, job.opts.prevMillis ?? job.timestamp)
  }, { connection, prefix, concurrency: 4, skipVersionCheck: true, lockDuration: o.lockDurationMs, stalledInterval: o.lockDurationMs })
  fires.on('error', (e) => o.onError?.(e))
  return {
    close: async () => {
      await fires.close()
      await runs.close()
    },
  }
}
