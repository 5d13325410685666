-- The marking triggers append to a log instead of moving a conversation's mark. A turn changed its conversation three
-- times (its message, its facts, its reply) and each change upserted the mark: an index probe, a row lock and a new row
-- version, about 40 µs each; with their triggers, an eighth of a turn's Postgres time. An append to a table with no
-- index is 5 µs. The sweep folds the log into `kpi_dirty` (storage/postgres/kpi-outcomes.ts): it deletes the log rows
-- it can see and moves their conversations' marks in one statement, so a change whose transaction commits after a fold
-- stays in the log for the next one. No change is missed, however late it commits, and none is lost: the log row
-- commits with the change.
create table kpi_changes (
  conversation_id text not null,
  -- the writer's transaction time, as `kpi_dirty.marked_at` was stamped, so the settle delay counts from the change
  at timestamptz not null default now()
);
-- Every row is deleted within a sweep or two, so vacuum it by dead rows, not by the table's size: a fold scans the
-- table from its start, dead pages included.
alter table kpi_changes set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000);

create or replace function kpi_mark_dirty() returns trigger language plpgsql as $$
begin
  insert into kpi_changes (conversation_id) select distinct conversation_id from changed where conversation_id is not null;
  return null;
end $$;

create or replace function kpi_mark_conversation_dirty() returns trigger language plpgsql as $$
begin
  insert into kpi_changes (conversation_id)
  select n.id from changed n
  union
  select o.conversation_id from changed n
    join conversations c2 on c2.tenant_id = n.tenant_id and c2.customer_id = n.customer_id and c2.id <> n.id
    join conversation_outcomes o on o.conversation_id = c2.id and o.recheck_at is not null
  where TG_OP = 'INSERT' and n.customer_id is not null;
  return null;
end $$;

create or replace function kpi_mark_turn_dirty() returns trigger language plpgsql as $$
begin
  insert into kpi_changes (conversation_id)
  select n.conversation_id from changed n
  union
  select o.conversation_id from changed n
    join conversations c on c.id = n.conversation_id and c.customer_id is not null
    join conversations c2 on c2.tenant_id = c.tenant_id and c2.customer_id = c.customer_id and c2.id <> c.id
    join conversation_outcomes o on o.conversation_id = c2.id and o.recheck_at is not null
  where n.intent is not null;
  return null;
end $$;
