-- Escalations change after they open (taken, resolved, re-categorised): the warehouse export follows them by when
-- they last changed, so every update is exported again and the warehouse keeps the latest version of each.
alter table escalations add column updated_at timestamptz not null default now();
update escalations set updated_at = greatest(created_at, coalesce(taken_at, created_at), coalesce(resolved_at, created_at));

create function escalation_touched() returns trigger language plpgsql as $$
begin
  new.updated_at = now();
  return new;
end $$;
create trigger escalations_touch before update on escalations for each row execute function escalation_touched();

create index escalations_updated_idx on escalations (updated_at, id);
