// Which writes may commit without waiting for their WAL flush. A turn's checkpoints (a model call, a retrieval, a
// verdict: work a resumed turn can redo) commit asynchronously. That is safe because WAL is one sequence: the turn's
// last write (its reply, draft or handoff) commits synchronously and so flushes every checkpoint written before it,
// and its mailbox job completes only after that write. A crash loses only checkpoints written since the last
// synchronous commit, and the redelivered turn redoes those steps: never a lost reply or a repeated side effect.
import type postgres from 'postgres'
import type { Sql } from './client.ts'

type Fragment = postgres.PendingQuery<postgres.Row[]>

/**
 * A one-row from-item that makes the single statement reading it commit asynchronously: `set_config(…, true)` is
 * transaction-local and a statement outside `sql.begin` is its own transaction. It must drive the statement (the
 * from-item of an insert's select, the preserved side of a left join): a CTE or subquery nobody reads is not run.
 * `unlessSql`: a condition under which the statement keeps the session's (synchronous) commit after all.
 */
export function asyncCommit(sql: Sql, unlessSql?: Fragment): Fragment {
  const setting = unlessSql ? sql`case when ${unlessSql} then current_setting('synchronous_commit') else 'off' end` : sql`'off'`
  return sql`(select set_config('synchronous_commit', ${setting}, true) as synchronous_commit) async_commit`
}
