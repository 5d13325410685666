// A turn's checkpoints commit asynchronously, the writes that end a turn synchronously (storage/postgres/async-commit.ts).
// On a Postgres cluster of the test's own, so no other session's WAL flushes are counted, and whose WAL writer waits
// 10 s between flushes: a checkpoint's commit stays in memory until a synchronous commit flushes it. pg_stat_wal's
// `wal_sync` counts the flushes each kind of write causes; a SIGKILL right after the reply shows the checkpoints
// written before it survive a crash with it (without the reply, the same crash loses them all: checked by hand).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createSql, MERGED_STEP, type Sql } from '../../storage/index.ts'
import { createTurnSteps } from '../../storage/postgres/turn-steps.ts'
import { createRetrieval } from '../../storage/knowledge/retrieval.ts'
import type { ProviderCallRecord } from '../../storage/postgres/provider-calls.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'
import { ownPostgres, type OwnPostgres } from '../support/servers.ts'

let pg: OwnPostgres
let db: TestDatabase
// One connection: its own WAL counts reach pg_stat_wal when asked (pg_stat_force_next_flush), not up to 10 s later.
let writer: Sql

beforeAll(async () => {
  pg = await ownPostgres({ wal_writer_delay: '10s' })
  db = await createTestDatabase({ url: pg.url })
  writer = createSql({ url: pg.url, schema: db.schema, maxConnections: 1 })
})

afterAll(async () => {
  await Promise.allSettled([writer.end(), db.sql.end()])
  await pg.destroy()
})

const call = (turnId: string): ProviderCallRecord => ({
  id: `${turnId}.model.1`, conversationId: 'c', turnId, provider: 'local', model: 'scripted', inputTokens: 10, outputTokens: 5,
  cachedTokens: 0, costUsd: 0.001, latencyMs: 12, fallbackPath: ['local'], policyVersion: null, rule: null, degradedBy: null,
})
const request = { tenantId: 'default', knowledgeBase: 'help', query: 'where is my order' }

/** The WAL flushes (fsyncs) in the cluster while `writes` writes run one after another on the writer's connection. */
async function walFlushes(writes: number, write: (i: number) => Promise<unknown>): Promise<number> {
  const flushes = async () => {
    await writer`select pg_stat_force_next_flush()`
    const [row] = await writer<{ n: number }[]>`select wal_sync as n from pg_stat_wal`
    return row!.n
  }
  const before = await flushes()
  for (let i = 0; i < writes; i++) await write(i)
  return (await flushes()) - before
}

test('checkpoints commit without waiting for a WAL flush; replies, recorded steps and a settled turn\'s start wait', async () => {
  const steps = createTurnSteps(writer)
  const knowledge = createRetrieval(writer)
  const N = 40
  // Turns merged into an earlier one: their messages are stored and settled, their facts not yet.
  await db.sql`insert into conversations (id) values ('c-merged')`
  await db.sql`insert into messages (id, conversation_id, role, text)
    select 'm-' || i, 'c-merged', 'customer', 'and one more thing' from generate_series(0, ${N - 1}) i`
  await db.sql`insert into turn_steps (turn_id, step, result) select 'm-' || i, ${MERGED_STEP}, '{"into":"m-x"}' from generate_series(0, ${N - 1}) i`
  const flushes = {
    begin: await walFlushes(N, (i) => steps.begin({ turnId: `t-${i}`, conversationId: 'c', text: 'where is my order?' })),
    retrieval: await walFlushes(N, (i) => knowledge.retrieveOnce(`t-${i}`, 'knowledge', request)),
    checkpoint: await walFlushes(N, (i) => steps.checkpoint(`t-${i}`, 'guardrail.input', { verdict: 'escalate' })),
    modelCall: await walFlushes(N, (i) => steps.recordModelCall(call(`t-${i}`), 'model.1', { text: 'it ships today' })),
    record: await walFlushes(N, (i) => steps.record(`t-${i}`, 'tool.model.1.c1', { ok: true })),
    reply: await walFlushes(N, (i) => steps.recordReply('c', `t-${i}`, 'reply', { id: `t-${i}.reply`, text: 'it ships today' })),
    draft: await walFlushes(N, (i) => steps.recordDraft('c', `d-${i}`, 'reply', { id: `d-${i}.reply`, text: 'it ships today' })),
    settledBegin: await walFlushes(N, (i) => steps.begin({ turnId: `m-${i}`, conversationId: 'c-merged', text: 'and one more thing' })),
  }
  // Generous margins: an asynchronous write flushes nothing itself, a synchronous one flushes once each.
  const kind = (n: number) => (n < N / 4 ? 'async' : n >= N / 2 ? 'sync' : `unclear (${n} flushes)`)
  expect(Object.fromEntries(Object.entries(flushes).map(([k, n]) => [k, kind(n)]))).toEqual({
    begin: 'async', retrieval: 'async', checkpoint: 'async', modelCall: 'async',
    record: 'sync', reply: 'sync', draft: 'sync', settledBegin: 'sync',
  })
  // Every write went through, and the setting ended with its statement.
  const [counts] = await db.sql<{ steps: number; facts: number }[]>`select (select count(*)::int from turn_steps) as steps,
    (select count(*)::int from turn_facts) as facts`
  expect(counts).toEqual({ steps: N * 7, facts: N * 2 })
  expect((await writer`show synchronous_commit`)[0]!.synchronous_commit).toBe('on')
})

test('a crash right after a turn\'s reply keeps the checkpoints the turn wrote before it', async () => {
  const steps = createTurnSteps(writer)
  await steps.begin({ turnId: 'k-1', conversationId: 'c-k', text: 'where is my order?' })
  await createRetrieval(writer).retrieveOnce('k-1', 'knowledge', request)
  await steps.checkpoint('k-1', 'policy.topic', { action: 'decline' })
  await steps.recordModelCall({ ...call('k-1'), conversationId: 'c-k' }, 'model.1', { text: 'it ships today' })
  await steps.recordReply('c-k', 'k-1', 'reply', { id: 'k-1.reply', text: 'it ships today' })
  await pg.kill()
  await pg.start()
  const after = createSql({ url: pg.url, schema: db.schema, maxConnections: 1 })
  try {
    const [found] = await after<{ steps: string[]; messages: string[]; calls: number; facts: number }[]>`select
      (select array_agg(step order by step) from turn_steps where turn_id = 'k-1') as steps,
      (select array_agg(id order by seq) from messages where conversation_id = 'c-k') as messages,
      (select count(*)::int from provider_calls where turn_id = 'k-1') as calls,
      (select count(*)::int from turn_facts where turn_id = 'k-1') as facts`
    expect(found).toEqual({ steps: ['knowledge', 'model.1', 'policy.topic', 'reply'], messages: ['k-1', 'k-1.reply'], calls: 1, facts: 1 })
  } finally {
    await after.end()
  }
})
