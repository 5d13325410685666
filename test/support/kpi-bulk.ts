// A month of one agent's conversations in bulk, written by Postgres itself: for the KPI query benchmark. Each has a
// customer message, an AI reply answering it and its turn facts; a tenth are rated, a twentieth escalated, and
// customers come back (one in seven conversations shares its customer with the next one).
import type { Sql } from '../../storage/index.ts'

export async function seedKpiMonth(sql: Sql, n: number, tenantId = 't1', agent = 'bot'): Promise<void> {
  const intents = ['order_status', 'return_item', 'refund', 'billing', 'cancel_order']
  await sql`insert into conversations (id, tenant_id, agent, customer_id, status, created_at, updated_at, closed_at)
    select 'k' || g, ${tenantId}, ${agent}, 'cu' || (g - g % 7 + (g % 7 > 0)::int), case when g % 3 = 0 then 'open' else 'closed' end,
      now() - make_interval(secs => (g * 2592000.0 / ${n})), now(), case when g % 3 = 0 then null else now() - make_interval(secs => (g * 2592000.0 / ${n}) - 60) end
    from generate_series(1, ${n}::int) g`
  await sql`insert into messages (id, conversation_id, role, text, turn_id, created_at)
    select 'k' || g || '.q', 'k' || g, 'customer', 'where is my order?', null, now() - make_interval(secs => (g * 2592000.0 / ${n}))
    from generate_series(1, ${n}::int) g`
  await sql`insert into messages (id, conversation_id, role, text, turn_id, created_at)
    select 'k' || g || '.a', 'k' || g, 'assistant', 'It ships tomorrow.', 'k' || g || '.q', now() - make_interval(secs => (g * 2592000.0 / ${n}) - 3)
    from generate_series(1, ${n}::int) g`
  await sql`insert into turn_facts (turn_id, conversation_id, agent, mode, intent, created_at)
    select 'k' || g || '.q', 'k' || g, ${agent}, 'execute', (${intents}::text[])[1 + g % 5], now() - make_interval(secs => (g * 2592000.0 / ${n}))
    from generate_series(1, ${n}::int) g`
  await sql`insert into csat_ratings (conversation_id, tenant_id, rating) select 'k' || g, ${tenantId}, 1 + g % 5 from generate_series(10, ${n}::int, 10) g`
  await sql`insert into escalations (id, conversation_id, reason, status, category, completeness, created_at, taken_at, resolved_at)
    select 'k' || g || '.e', 'k' || g, 'agent.escalated', 'resolved', 'low_confidence', 0.7, now() - interval '1 day', now() - interval '1 day',
      now() - interval '23 hours' from generate_series(20, ${n}::int, 20) g`
  await sql`insert into provider_calls (id, conversation_id, turn_id, provider, model, cost_usd, latency_ms)
    select 'k' || g || '.p', 'k' || g, 'k' || g || '.q', 'openai', 'gpt-4o-mini', 0.002, 300 from generate_series(1, ${n}::int) g`
  await sql`analyze`
}
