// Archive then restore gives identical rows; a crash after any archiving step loses and duplicates nothing.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { gzipSync } from 'node:zlib'
import type { ArchiveStep, Storage } from '../../storage/index.ts'
import { createTiersFixture, recordToolCall, retentionPolicies, script, type TiersFixture } from './tiers-fixture.ts'

let fx: TiersFixture
let storage: Storage
const DAY = 86_400_000

beforeAll(async () => {
  fx = await createTiersFixture()
  storage = await fx.open()
})
afterAll(() => fx.close())

/** A conversation with messages, checkpoints, a model call and an escalation. */
async function richConversation(s: Storage, id: string, tenantId = 'default'): Promise<void> {
  await s.sessions.append(script(id, 6), { tenantId, customerId: `${id}-customer` })
  await s.turnSteps.record(`${id}-0`, 'guardrail.input', { verdict: 'allow' })
  await s.turnSteps.recordModelCall({
    id: `${id}-call`, conversationId: id, turnId: `${id}-0`, provider: 'local', model: 'intent-v1', inputTokens: 120,
    outputTokens: 40, cachedTokens: 8, costUsd: 0.00012345, latencyMs: 17, fallbackPath: ['openai', 'local'],
    policyVersion: 'v7', rule: 'vip-best-model', degradedBy: 'gpt-4o: circuit_open',
  }, 'model', { text: 'reply' })
  await recordToolCall(fx.db.sql, id, `${id}-0`)
  await s.escalations.open({ id: `${id}-esc`, conversationId: id, turnId: `${id}-2`, reason: 'low_confidence', detail: 'score 0.3' })
  await s.turnSteps.recordDraft(id, `${id}-4`, 'reply', { id: `${id}-4.reply`, text: 'a draft for a person' })
}

/** Every row of the conversation in every archived table, plus the conversation row. */
async function snapshot(id: string) {
  const { sql } = fx.db
  return {
    conversation: await sql`select id, tenant_id, customer_id, channel, agent, status, metadata, created_at from conversations where id = ${id}`,
    messages: await sql`select * from messages where conversation_id = ${id} order by seq`,
    turnSteps: await sql`select * from turn_steps where turn_id like ${`${id}-%`} order by turn_id, step`,
    providerCalls: await sql`select * from provider_calls where conversation_id = ${id} order by id`,
    toolCalls: await sql`select * from tool_calls where conversation_id = ${id} order by idempotency_key`,
    escalations: await sql`select * from escalations where conversation_id = ${id} order by id`,
    drafts: await sql`select * from reply_drafts where conversation_id = ${id} order by id`,
  }
}

const warmRows = async (id: string) => {
  const s = await snapshot(id)
  return s.messages.length + s.turnSteps.length + s.providerCalls.length + s.toolCalls.length + s.escalations.length + s.drafts.length
}

describe('archive', () => {
  test('archive then restore gives identical rows (ids, seqs, timestamps, numerics)', async () => {
    await richConversation(storage, 'a-identical')
    const before = await snapshot('a-identical')
    expect(await storage.archiver.archive('a-identical')).toBe('archived')
    expect(await warmRows('a-identical')).toBe(0)
    const [manifest] = await fx.db.sql`select * from cold_objects where conversation_id = 'a-identical'`
    expect(manifest).toMatchObject({ message_count: 6, customer_id: 'a-identical-customer' })
    expect(await storage.archiver.restore('a-identical')).toBe(true)
    expect(await snapshot('a-identical')).toEqual(before)
    expect(await storage.blobs.list('conversations/default/a-identical')).toEqual([])
  })

  test('a corrupted object is refused, never restored', async () => {
    await richConversation(storage, 'a-corrupt')
    await storage.archiver.archive('a-corrupt')
    const [m] = await fx.db.sql<{ objectKey: string }[]>`select object_key as "objectKey" from cold_objects where conversation_id = 'a-corrupt'`
    await storage.blobs.put(m!.objectKey, gzipSync('{"tampered":true}'))
    expect(storage.archiver.restore('a-corrupt')).rejects.toMatchObject({ code: 'storage.corrupt' })
    expect(await warmRows('a-corrupt')).toBe(0)
  })

  test('a message appended while archiving aborts the commit and nothing is deleted', async () => {
    await richConversation(storage, 'a-active')
    const racing = await fx.open({
      onArchiveStep: async (step, id) => {
        if (step === 'verified') await storage.sessions.append(script(id, 1, 6))
      },
    })
    expect(await racing.archiver.archive('a-active')).toBe('changed')
    expect((await snapshot('a-active')).messages).toHaveLength(7)
  })

  const steps: ArchiveStep[] = ['collected', 'written', 'verified', 'committed']
  test.each(steps)('a crash after %s: the rerun completes, nothing lost or duplicated', async (crashAfter) => {
    const id = `crash-${crashAfter}`
    await richConversation(storage, id, 'crash-tenant')
    const before = await snapshot(id)
    let armed = true
    const crashing = await fx.open({
      onArchiveStep: (step) => {
        if (armed && step === crashAfter) throw ((armed = false), new Error(`crash after ${step}`))
      },
      retentionPolicies: retentionPolicies(`apiVersion: switchboard.dev/v1alpha1
kind: RetentionPolicy
metadata: { name: crash }
spec: { version: 1, tenant: crash-tenant, hot: { ttlSeconds: 60 }, warm: { days: 1 }, cold: { days: 30 } }`),
    })
    const later = new Date(Date.now() + 2 * DAY)
    const first = await crashing.retention.runOnce(later)
    expect(armed).toBe(false)
    expect(first.failed).toBe(1)
    await crashing.retention.runOnce(later)
    expect(await warmRows(id)).toBe(0)
    expect(await storage.blobs.list(`conversations/crash-tenant/${id}.`)).toHaveLength(1)
    const [row] = await fx.db.sql<{ n: number }[]>`select count(*)::int as n from cold_objects where conversation_id = ${id}`
    expect(row?.n).toBe(1)
    const load = await storage.sessions.load(id)
    expect(load.tier).toBe('cold')
    expect(await snapshot(id)).toEqual(before)
  })
})
