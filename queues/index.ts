// The only importer of bullmq: mailboxes, actor hosting, pools, retries and the dead-letter queue.
export { createRedis } from './connection.ts'
export { names, CONVERSATION_ID_PATTERN } from './names.ts'
export { createLeases, type Leases } from './lease.ts'
export { createMailbox, type MailboxSender } from './mailbox.ts'
export { createActorHost, type ActorHost, type ActorHostOptions, type ActorHostDeps, type ActorHostStats } from './actor-host.ts'
export { createPoolClient, startPoolWorkers, type PoolQueues, type PoolWorkers } from './pools.ts'
export { callingInProcess } from './in-process.ts'
/** Re-mailing after Redis lost its data (see recovery.ts). */
export { watchRedisLoss, markRedisEpoch, type RedisLossOptions, type RedisLossWatch } from './recovery.ts'
export { createDeadLetter, type DeadLetter, type DeadLetterEntry } from './dead-letter.ts'
/** Erasure's sweep of a customer's conversations out of every queue (see job-scrubber.ts). */
export { createJobScrubber, type JobScrubber } from './job-scrubber.ts'
export { attemptsByKind, backoffMs } from './retry.ts'
export { validationErrors } from './validate.ts'
export { createQueueTelemetry, type QueueTelemetry } from './telemetry.ts'
export {
  createWebhookQueue, startWebhookWorker, type WebhookAttempt, type WebhookHandler, type WebhookQueue, type WebhookQueueOptions,
  type WebhookWorker,
} from './webhook-delivery.ts'
export { createJobQueue, startJobWorker, type JobHandler, type JobQueue, type JobQueueOptions, type JobRun, type JobWorker, type JobWorkerOptions } from './job-queue.ts'
/** The knowledge base re-index jobs' queue (slow, I/O-bound work, run by workers). */
export { createKnowledgeIndexQueue, startKnowledgeIndexWorker, type KnowledgeIndexWorkerOptions } from './knowledge-index.ts'
/** Proactive outreach: one job per campaign run, and the job schedulers that fire cron campaigns. */
export {
  createOutreachQueues, startOutreachWorkers, type CampaignSchedule, type OutreachQueueSet, type OutreachWorkerHandlers, type OutreachWorkerOptions,
} from './outreach.ts'
/** Provider queues of built-in providers left by earlier versions (see retired-provider-queues.ts). */
export { retireProviderQueues } from './retired-provider-queues.ts'
