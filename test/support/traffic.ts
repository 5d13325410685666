// Sending customer turns through the real mailbox and reading back what the actors replied.
import type { Message } from '../../actors/index.ts'
import { createLeases, createMailbox, createRedis, type MailboxSender } from '../../queues/index.ts'
import type { Sql } from '../../storage/index.ts'
import type Redis from 'ioredis'

export interface Sender {
  mailbox: MailboxSender
  close(): Promise<void>
}

export function createSender(prefix: string): Sender {
  const redis: Redis = createRedis(process.env.REDIS_URL!, 'test-sender')
  const mailbox = createMailbox(redis, prefix, createLeases(redis, prefix, 'test-sender', 1000))
  return { mailbox, close: async () => (await mailbox.close(), void redis.disconnect()) }
}

export function turn(conversationId: string, id: string, text: string): Message {
  return { v: 1, id, kind: 'turn.received', conversationId, sentAt: Date.now(), payload: { text } }
}

/** Sends `perConversation` turns to each conversation, in order per conversation, conversations in parallel. */
export async function sendTurns(sender: Sender, conversationIds: string[], perConversation: number): Promise<void> {
  await Promise.all(conversationIds.map(async (c) => {
    for (let i = 0; i < perConversation; i++) await sender.mailbox.send(turn(c, `${c}-m${i}`, `m${i}`))
  }))
}

export async function countReplies(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from messages where role = 'assistant'`
  return row?.n ?? 0
}

/** Assistant replies per conversation in stored order, as the customer texts they answer. */
export async function repliesByConversation(sql: Sql): Promise<Map<string, string[]>> {
  const rows = await sql<{ conversationId: string; turnId: string }[]>`select conversation_id as "conversationId",
    turn_id as "turnId" from messages where role = 'assistant' order by seq`
  const out = new Map<string, string[]>()
  for (const r of rows) {
    const list = out.get(r.conversationId) ?? []
    list.push(r.turnId)
    out.set(r.conversationId, list)
  }
  return out
}
