-- One judged row per conversation, kept by the KPI sweep (kpis/ judges, storage writes), so a KPI read sums rows
-- instead of re-reading every conversation's timeline. The descriptive columns say what the conversation is and how
-- it was judged; the count (0/1) and sum columns are its share of any group's totals, which are plain sums of them.
create table conversation_outcomes (
  conversation_id text primary key references conversations (id) on delete cascade,
  tenant_id text not null,
  agent text not null,
  channel text not null,
  intent text,
  mode text,
  created_at timestamptz not null,
  first_customer_at timestamptz,
  first_response_at timestamptz,
  closed_at timestamptz,
  resolved_at timestamptz,
  outcome text not null check (outcome in ('resolved', 'pending', 'unresolved', 'abandoned', 'open')),
  confirmation text check (confirmation in ('customer', 'csat', 'no_return')),
  handled_by text not null check (handled_by in ('ai', 'human', 'handed_off')),
  durable boolean,
  csat smallint,
  time_to_resolve_s float8,
  first_response_s float8,
  resolved smallint not null,
  resolved_by_ai smallint not null,
  pending smallint not null,
  unresolved smallint not null,
  abandoned smallint not null,
  open smallint not null,
  reopened smallint not null,
  escalated smallint not null,
  confirmed_customer smallint not null,
  confirmed_csat smallint not null,
  confirmed_no_return smallint not null,
  durable_judged smallint not null,
  durable_yes smallint not null,
  ai_conversations smallint not null,
  ai_ratings smallint not null,
  ai_rating_sum float8 not null,
  human_conversations smallint not null,
  human_ratings smallint not null,
  human_rating_sum float8 not null,
  handed_off_conversations smallint not null,
  handed_off_ratings smallint not null,
  handed_off_rating_sum float8 not null,
  model_usd float8 not null,
  guardrail_usd float8 not null,
  infrastructure_usd float8 not null,
  human_usd float8 not null,
  esc_ratings smallint not null,
  esc_had_what_needed smallint not null,
  esc_completeness_n smallint not null,
  esc_completeness_sum float8 not null,
  needless smallint not null,
  needless_judged smallint not null,
  missed smallint not null,
  ai_closed smallint not null,
  asked_again smallint not null,
  ai_replies int not null,
  qa_reviews int not null,
  qa_score_sum float8 not null,
  qa_pairs smallint not null,
  qa_agree smallint not null,
  judged_at timestamptz not null,
  -- the next moment the clock alone may change the verdict (a window ending); null once only new facts can
  recheck_at timestamptz
);
create index conversation_outcomes_agent_idx on conversation_outcomes (tenant_id, agent, created_at);
create index conversation_outcomes_tenant_idx on conversation_outcomes (tenant_id, created_at);
create index conversation_outcomes_recheck_idx on conversation_outcomes (tenant_id, recheck_at) where recheck_at is not null;

-- Conversations whose facts changed since they were last judged. `mark` changes with every touch, so a sweep that
-- judged an older mark leaves a newer one in place for the next sweep.
create sequence kpi_dirty_mark_seq;
create table kpi_dirty (
  conversation_id text primary key,
  mark bigint not null
);

-- A change to any table the KPI facts read marks its conversation. Statement triggers over the changed rows: one
-- small upsert per statement, never per row.
create function kpi_mark_dirty() returns trigger language plpgsql as $$
begin
  insert into kpi_dirty (conversation_id, mark)
  select id, nextval('kpi_dirty_mark_seq') from (select distinct conversation_id as id from changed where conversation_id is not null) s
  on conflict (conversation_id) do update set mark = excluded.mark;
  return null;
end $$;

-- A conversation's own change marks it; a new conversation, or a newly classified turn, also marks the same
-- customer's conversations whose verdict is still open to change (a return within a window undoes a resolution).
create function kpi_mark_conversation_dirty() returns trigger language plpgsql as $$
begin
  insert into kpi_dirty (conversation_id, mark)
  select id, nextval('kpi_dirty_mark_seq') from (
    select n.id from changed n
    union
    select o.conversation_id from changed n
      join conversations c2 on c2.tenant_id = n.tenant_id and c2.customer_id = n.customer_id and c2.id <> n.id
      join conversation_outcomes o on o.conversation_id = c2.id and o.recheck_at is not null
    where TG_OP = 'INSERT' and n.customer_id is not null) s
  on conflict (conversation_id) do update set mark = excluded.mark;
  return null;
end $$;

create function kpi_mark_turn_dirty() returns trigger language plpgsql as $$
begin
  insert into kpi_dirty (conversation_id, mark)
  select id, nextval('kpi_dirty_mark_seq') from (
    select n.conversation_id as id from changed n
    union
    select o.conversation_id from changed n
      join conversations c on c.id = n.conversation_id and c.customer_id is not null
      join conversations c2 on c2.tenant_id = c.tenant_id and c2.customer_id = c.customer_id and c2.id <> c.id
      join conversation_outcomes o on o.conversation_id = c2.id and o.recheck_at is not null
    where n.intent is not null) s
  on conflict (conversation_id) do update set mark = excluded.mark;
  return null;
end $$;

create trigger conversations_kpi_insert after insert on conversations referencing new table as changed
  for each statement execute function kpi_mark_conversation_dirty();
create trigger conversations_kpi_update after update on conversations referencing new table as changed
  for each statement execute function kpi_mark_conversation_dirty();
create trigger turn_facts_kpi after insert on turn_facts referencing new table as changed
  for each statement execute function kpi_mark_turn_dirty();
create trigger messages_kpi_insert after insert on messages referencing new table as changed for each statement execute function kpi_mark_dirty();
create trigger csat_ratings_kpi_insert after insert on csat_ratings referencing new table as changed for each statement execute function kpi_mark_dirty();
create trigger csat_ratings_kpi_update after update on csat_ratings referencing new table as changed for each statement execute function kpi_mark_dirty();
create trigger escalations_kpi_insert after insert on escalations referencing new table as changed for each statement execute function kpi_mark_dirty();
create trigger escalations_kpi_update after update on escalations referencing new table as changed for each statement execute function kpi_mark_dirty();
create trigger handoff_ratings_kpi_insert after insert on handoff_ratings referencing new table as changed for each statement execute function kpi_mark_dirty();
create trigger handoff_ratings_kpi_update after update on handoff_ratings referencing new table as changed for each statement execute function kpi_mark_dirty();
create trigger tool_calls_kpi_insert after insert on tool_calls referencing new table as changed for each statement execute function kpi_mark_dirty();
create trigger provider_calls_kpi_insert after insert on provider_calls referencing new table as changed for each statement execute function kpi_mark_dirty();
create trigger qa_reviews_kpi_insert after insert on qa_reviews referencing new table as changed for each statement execute function kpi_mark_dirty();
create trigger qa_reviews_kpi_update after update on qa_reviews referencing new table as changed for each statement execute function kpi_mark_dirty();
create trigger reply_drafts_kpi_insert after insert on reply_drafts referencing new table as changed for each statement execute function kpi_mark_dirty();
create trigger reply_drafts_kpi_update after update on reply_drafts referencing new table as changed for each statement execute function kpi_mark_dirty();

-- Every conversation already recorded is judged by the first sweeps.
insert into kpi_dirty (conversation_id, mark) select id, nextval('kpi_dirty_mark_seq') from conversations;
