// The mail loop of one active actor: started when its doorbell rings (or on activation), it takes one message at
// a time, in order, hands it to the actor and completes it while taking the next, until the mailbox is empty.
import type { Job } from 'bullmq'
import type { ActorInstance } from '../actors/protocol.ts'
import type { Logger } from '../lib/log.ts'
import type { DeadLetter } from './dead-letter.ts'
import type { MailboxJobs } from './mailbox-jobs.ts'
import { processMail } from './mail-processor.ts'

// How soon an actor whose fetch failed (Redis away) tries again.
const FETCH_RETRY_MS = 1000

export interface PumpedActor {
  id: string
  instance: ActorInstance
  /** Rung since the last fetch began: fetch once more before stopping. */
  rung: boolean
  /** Handling a message right now. */
  busy: boolean
  /** The mailbox was seen empty since the last message: only such actors are evicted under pressure. */
  drained: boolean
  /** A message taken already (on activation, beside the state load): the loop handles it before fetching. */
  taken?: Job
  /** The running loop, if any; `pumping` turns false in the same step as the loop decides to stop. */
  pump?: Promise<void>
  pumping?: boolean
}

export interface MailPumpDeps {
  jobs: MailboxJobs
  attempts: number
  outageRetryMs: number
  deadLetter: DeadLetter
  log: Logger
  /** False once the host stops owning the actor (passivating, lease lost, closing). */
  owns(a: PumpedActor): boolean
  /** Called before and after each message (the host's idle timer). */
  busyChanged(a: PumpedActor): void
  /** The mailbox was found empty. */
  drained(a: PumpedActor): void
}

/** New mail for `a`: starts its loop unless one is running, which then fetches once more before it stops. */
export function ring(a: PumpedActor, deps: MailPumpDeps): void {
  a.rung = true
  if (a.pumping || !deps.owns(a)) return
  a.pumping = true
  a.pump = pump(a, deps)
}

async function pump(a: PumpedActor, deps: MailPumpDeps): Promise<void> {
  let job = a.taken
  a.taken = undefined
  // The last completion took a look at the mailbox already (and found it empty): no separate fetch is needed.
  let looked = false
  let stopped = false
  try {
    while (deps.owns(a)) {
      if (!job && !looked) {
        a.rung = false
        job = await deps.jobs.fetch(a.id)
      }
      if (!job) {
        looked = false
        if (a.rung) continue
        // Stopped in this very step, so a ring that comes after the last look starts a new loop.
        a.pumping = false
        stopped = true
        a.drained = true
        deps.drained(a)
        return
      }
      ;[job, looked] = await handle(a, job, deps)
    }
    // Taken, but no longer ours to handle: back to the front of the mailbox for the next owner.
    if (job) await deps.jobs.handBack(job).catch(() => {})
  } catch (e) {
    deps.log.warn('mailbox fetch failed; trying again', { conversationId: a.id, error: e as Error })
    setTimeout(() => ring(a, deps), FETCH_RETRY_MS)
  } finally {
    if (!stopped) a.pumping = false
  }
}

/** Handles one message; resolves to the next one (taken with the completion), and whether the completion looked. */
async function handle(a: PumpedActor, job: Job, deps: MailPumpDeps): Promise<[Job | undefined, boolean]> {
  a.busy = true
  a.drained = false
  deps.busyChanged(a)
  let outcome
  try {
    outcome = await deps.jobs.traced(a.id, job, () => processMail(a.instance, job, {
      attempts: deps.attempts, outageRetryMs: deps.outageRetryMs, deadLetter: deps.deadLetter, log: deps.log,
      shouldContinue: () => deps.owns(a),
    }))
  } catch (e) {
    // Given up because the host no longer owns the actor (the message goes to the next owner), or giving up itself
    // failed (the message is tried again here, after a pause).
    await deps.jobs.handBack(job).catch(() => {})
    if (deps.owns(a)) {
      deps.log.error('mail could not be handled; trying again', { conversationId: a.id, jobId: job.id, error: e as Error })
      await Bun.sleep(FETCH_RETRY_MS)
    }
    return [undefined, false]
  } finally {
    a.busy = false
    deps.busyChanged(a)
  }
  // A completion fails when another owner took the message over, or Redis lost it: either way it is not ours.
  a.rung = false
  return deps.jobs.complete(a.id, job, outcome).then((next) => [next, true] as [Job | undefined, boolean], (e: Error) => {
    deps.log.warn('could not complete mail', { conversationId: a.id, jobId: job.id, error: e })
    return [undefined, false] as [Job | undefined, boolean]
  })
}
