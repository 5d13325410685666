-- Tombstones of erased conversations. Mail can still be in flight when a customer is erased (stored by the
-- API just before the conversation closed, queued just after the sweep); the conversation's id must never
-- come back, whichever path would create it again (a turn, a session append, an outreach message).
create table erased_conversations (
  id text primary key,
  tenant_id text not null,
  erased_at timestamptz not null default now()
);

create function refuse_erased_conversation() returns trigger language plpgsql as $$
begin
  if exists (select 1 from erased_conversations where id = new.id) then
    return null;
  end if;
  return new;
end $$;

create trigger conversations_not_erased before insert on conversations
  for each row execute function refuse_erased_conversation();
