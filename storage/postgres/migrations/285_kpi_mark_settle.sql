-- A mark records when it last moved, so the background sweep can wait until a conversation has been still for a
-- while (KPI_SETTLE_MS) and judge a busy one once after it quiets down instead of after every turn. The stamp is the
-- database's clock, and so is the settle cutoff the sweep compares it with.
alter table kpi_dirty add column marked_at timestamptz not null default now();
create index kpi_dirty_marked_at_idx on kpi_dirty (marked_at);

create or replace function kpi_mark_dirty() returns trigger language plpgsql as $$
begin
  insert into kpi_dirty (conversation_id, mark)
  select id, nextval('kpi_dirty_mark_seq') from (select distinct conversation_id as id from changed where conversation_id is not null) s
  on conflict (conversation_id) do update set mark = excluded.mark, marked_at = excluded.marked_at;
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
  on conflict (conversation_id) do update set mark = excluded.mark, marked_at = excluded.marked_at;
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
  on conflict (conversation_id) do update set mark = excluded.mark, marked_at = excluded.marked_at;
  return null;
end $$;

-- A deleted conversation takes its mark with it, so claims never scan marks of conversations that are gone.
create function kpi_forget_deleted() returns trigger language plpgsql as $$
begin
  delete from kpi_dirty d using gone g where d.conversation_id = g.id;
  return null;
end $$;
create trigger conversations_kpi_delete after delete on conversations referencing old table as gone
  for each statement execute function kpi_forget_deleted();
delete from kpi_dirty d where not exists (select 1 from conversations c where c.id = d.conversation_id);

-- The background sweep's windows-ending claim across tenants (the tenant index serves a tenant's read).
create index conversation_outcomes_recheck_at_idx on conversation_outcomes (recheck_at) where recheck_at is not null;
