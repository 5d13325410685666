// Recovery after Redis lost its data: accepted messages live in Postgres, so each one still owed a reply is mailed
// again to its conversation, in transcript order. Part of the composition root (storage on one side, queues on the other).
import type { Mailbox } from './actors/index.ts'
import type { Clock } from './lib/clock.ts'
import type { Logger } from './lib/log.ts'
import { watchRedisLoss, type RedisLossWatch } from './queues/index.ts'
import type { Storage, UnansweredMessage } from './storage/index.ts'
import type Redis from 'ioredis'

// Messages older than this are not mailed again: a conversation silent for a day has been dealt with otherwise.
const REMAIL_WINDOW_MS = 24 * 3600_000
const PAGE = 1000

export interface RecoveryDeps {
  connection: Redis
  prefix: string
  leaseTtlMs: number
  storage: Pick<Storage, 'messages'>
  mailbox: Pick<Mailbox, 'send'>
  clock: Clock
  log: Logger
}

export function startRedisRecovery(deps: RecoveryDeps): RedisLossWatch {
  return watchRedisLoss(deps.connection, {
    prefix: deps.prefix, graceMs: Math.ceil(deps.leaseTtlMs / 3), log: deps.log, remail: () => remailUnanswered(deps),
  })
}

/** Mails every unanswered message again (a duplicate id still queued is ignored); resolves to how many. */
export async function remailUnanswered(deps: Pick<RecoveryDeps, 'storage' | 'mailbox' | 'clock'>): Promise<number> {
  const since = new Date(deps.clock.now() - REMAIL_WINDOW_MS)
  let sent = 0
  for (let after = 0; ;) {
    const page = await deps.storage.messages.unanswered(since, after, PAGE)
    if (page.length === 0) return sent
    const byConversation = new Map<string, UnansweredMessage[]>()
    for (const m of page) byConversation.set(m.conversationId, [...(byConversation.get(m.conversationId) ?? []), m])
    await Promise.all([...byConversation.values()].map((messages) => sendInOrder(deps, messages)))
    sent += page.length
    after = page[page.length - 1]!.seq
  }
}

async function sendInOrder(deps: Pick<RecoveryDeps, 'mailbox' | 'clock'>, messages: UnansweredMessage[]): Promise<void> {
  for (const m of messages) {
    await deps.mailbox.send({
      v: 1, id: m.id, kind: 'turn.received', conversationId: m.conversationId, sentAt: deps.clock.now(),
      payload: { text: m.text, channel: m.channel },
    })
  }
}
