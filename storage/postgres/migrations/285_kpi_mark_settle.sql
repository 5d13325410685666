-- A mark records when it last moved, so the background sweep can wait until a conversation has been still for a
-- while (KPI_SETTLE_MS) and judge a busy one once after it quiets down instead of after every turn. The stamp is the
-- database's clock, and so is the settle cutoff the sweep compares it with.
alter table kpi_dirty add column marked_at timestamptz not null default now();
create index kpi_dirty_marked_at_idx on kpi_dirty (marked_at);

-- Every marking trigger moves a mark by upserting it with a new `mark`; this restamps it there, so they stay as they are.
create function kpi_dirty_moved() returns trigger language plpgsql as $$
begin
  new.marked_at := now();
  return new;
end $$;
create trigger kpi_dirty_moved before update of mark on kpi_dirty for each row execute function kpi_dirty_moved();

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
