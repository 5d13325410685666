// Bulk rows for export tests and benchmarks, written by Postgres itself (generate_series) in seconds: conversations
// and their turns, every tenth turn carrying an email address the export must redact.
import type { Sql } from '../../storage/index.ts'

/** `turns` messages over `turns / 10` conversations of tenant t1, created `agoS` seconds ago; ids c<n> and m<n>. */
export async function seedTurns(sql: Sql, turns: number, options: { agoS?: number; start?: number } = {}): Promise<void> {
  const ago = options.agoS ?? 3600
  const start = options.start ?? 1
  const conversations = Math.max(1, Math.ceil(turns / 10))
  await sql`insert into conversations (id, tenant_id, agent, customer_id, created_at, updated_at)
    select 'c' || g, 't1', 'bot', 'cu' || g, now() - make_interval(secs => ${ago}), now() - make_interval(secs => ${ago})
    from generate_series(${start}::int, ${start + conversations - 1}::int) g on conflict do nothing`
  await sql`insert into messages (id, conversation_id, role, text, created_at)
    select 'm' || g, 'c' || (${start} + (g - ${start}) / 10), case when g % 2 = 0 then 'customer' else 'assistant' end,
      case when g % 10 = 0 then 'write to jo' || g || '@example.com please' else 'turn ' || g end, now() - make_interval(secs => ${ago})
    from generate_series(${start}::int, ${start + turns - 1}::int) g`
}
