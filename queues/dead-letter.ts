// The dead-letter queue: messages that failed validation or could not be handled, kept with their reason.
// Nothing consumes it automatically; operators list, inspect and replay from it.
import { Queue } from 'bullmq'
import type Redis from 'ioredis'
import { names } from './names.ts'

export interface DeadLetterEntry {
  source: string
  jobId: string | undefined
  kind: string
  reason: string
  errors: string[]
  data: unknown
  at: number
}

export interface DeadLetter {
  add(entry: Omit<DeadLetterEntry, 'at'>): Promise<void>
  list(limit?: number): Promise<DeadLetterEntry[]>
  close(): Promise<void>
}

export function createDeadLetter(connection: Redis, prefix: string): DeadLetter {
  const queue = new Queue<DeadLetterEntry>(names.deadLetter, { connection, prefix, skipVersionCheck: true })
  return {
    async add(entry) {
      await queue.add(entry.kind || 'unknown', { ...entry, at: Date.now() }, { removeOnComplete: true })
    },
    async list(limit = 100) {
      const jobs = await queue.getJobs(['waiting', 'paused'], 0, limit - 1)
      return jobs.map((j) => j.data)
    },
    close: () => queue.close(),
  }
}
