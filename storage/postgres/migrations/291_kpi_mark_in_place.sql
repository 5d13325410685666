-- A turn moves its conversation's KPI mark three times (its message, its facts, its reply). Each move rewrote the
-- row and, because `marked_at` was indexed, added an entry to both of the table's indexes: with autovacuum behind (or
-- off), the marks of busy conversations grew chains of dead versions that every later move and claim walked. Without
-- that index a move is a heap-only update that page pruning reclaims as it goes, and the claim of settled marks reads
-- the table instead: it holds only the conversations touched since the last sweep. Measured at 10,000 conversations
-- (30,000 moves): 0.032 against 0.050 ms per move, and the table stops growing.
drop index kpi_dirty_marked_at_idx;
alter table kpi_dirty set (fillfactor = 50);

-- The moves stamp `marked_at` themselves, so the row trigger that did it (one PL/pgSQL call per move) goes.
drop trigger kpi_dirty_moved on kpi_dirty;
drop function kpi_dirty_moved();

create or replace function kpi_mark_dirty() returns trigger language plpgsql as $$
begin
  insert into kpi_dirty (conversation_id, mark)
  select id, nextval('kpi_dirty_mark_seq') from (select distinct conversation_id as id from changed where conversation_id is not null) s
  on conflict (conversation_id) do update set mark = excluded.mark, marked_at = now();
  return null;
end $$;

create or replace function kpi_mark_conversation_dirty() returns trigger language plpgsql as $$
begin
  insert into kpi_dirty (conversation_id, mark)
  select id, nextval('kpi_dirty_mark_seq') from (
    select n.id from changed n
    union
    select o.conversation_id from changed n
      join conversations c2 on c2.tenant_id = n.tenant_id and c2.customer_id = n.customer_id and c2.id <> n.id
      join conversation_outcomes o on o.conversation_id = c2.id and o.recheck_at is not null
    where TG_OP = 'INSERT' and n.customer_id is not null) s
  on conflict (conversation_id) do update set mark = excluded.mark, marked_at = now();
  return null;
end $$;

create or replace function kpi_mark_turn_dirty() returns trigger language plpgsql as $$
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
  on conflict (conversation_id) do update set mark = excluded.mark, marked_at = now();
  return null;
end $$;
