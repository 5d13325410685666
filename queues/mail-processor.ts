// Handling one job of a conversation mailbox: validate it, hand it to the actor, retry failures in place
// (a delayed retry would let later mail overtake it), wait out outages without spending attempts, and make sure
// the customer hears something.
import type { Job } from 'bullmq'
import type { ActorInstance, MailOutcome, Message } from '../actors/protocol.ts'
import { isOutage, toErrorInfo } from '../lib/errors.ts'
import type { Logger } from '../lib/log.ts'
import type { DeadLetter } from './dead-letter.ts'
import { backoffMs, deliveryAttempt } from './retry.ts'
import { validationErrors } from './validate.ts'

// Outage retries back off up to this, so a recovered store is noticed within seconds.
const MAX_OUTAGE_BACKOFF_MS = 5000

export interface MailProcessorOptions {
  attempts: number
  /** How long failures that are outages (a store unreachable) are retried before they count as attempts. */
  outageRetryMs: number
  deadLetter: DeadLetter
  log: Logger
  /** False once the host is shutting down or lost the lease: stop retrying and leave the job to the next owner. */
  shouldContinue: () => boolean
}

export async function processMail(actor: ActorInstance, job: Job, options: MailProcessorOptions): Promise<MailOutcome> {
  const errors = validationErrors('message', job.data)
  if (errors.length > 0) {
    await options.deadLetter.add({
      source: job.queueName, jobId: job.id, kind: job.name, reason: 'message.invalid', errors, data: job.data,
    })
    options.log.warn('invalid message dead-lettered', { queue: job.queueName, jobId: job.id, errors })
    return 'done'
  }
  const msg = job.data as Message
  let outageSince: number | undefined
  let outageTries = 0
  for (let attempt = deliveryAttempt(job); ; attempt++) {
    try {
      return await actor.handle(msg, { attempt })
    } catch (e) {
      const info = toErrorInfo(e)
      options.log.warn('turn failed', { conversationId: msg.conversationId, kind: msg.kind, attempt, error: info })
      if (!options.shouldContinue()) throw e
      outageSince = isOutage(info) ? outageSince ?? Date.now() : undefined
      if (outageSince !== undefined && Date.now() - outageSince < options.outageRetryMs) {
        attempt-- // an outage is not the turn's fault: it spends no attempt
        await Bun.sleep(Math.min(MAX_OUTAGE_BACKOFF_MS, backoffMs(++outageTries, info.retryAfterMs)))
        continue
      }
      if (!info.retryable || attempt >= options.attempts) {
        await actor.giveUp(msg, info)
        return 'done'
      }
      await Bun.sleep(backoffMs(attempt, info.retryAfterMs))
    }
  }
}
