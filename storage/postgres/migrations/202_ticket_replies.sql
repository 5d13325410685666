-- Replies back into the ticket: a tenant's connection to its ticket system, and the outbox of replies to post
-- there as comments.
create table ticket_connections (
  tenant_id text not null references tenants (id) on delete cascade,
  source text not null check (source in ('zendesk', 'freshdesk')),
  base_url text not null,
  -- Zendesk: the agent the API token belongs to. Freshdesk authenticates by the key alone.
  username text,
  -- The API token or key. Kept in clear because each request needs it; written through the API, never returned.
  secret text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, source)
);

-- One row per reply to a connected ticket (an AI agent's or a person's), written by the trigger below in the
-- transaction that stores the reply: a stored reply is never left unposted, and its row (keyed by the message)
-- makes it one comment however often it is retried.
create table ticket_replies (
  message_id text primary key,
  conversation_id text not null,
  tenant_id text not null,
  source text not null,
  ticket_id text not null,
  -- the message's place in the conversation: a ticket's replies are posted in order
  seq bigint not null,
  status text not null default 'pending' check (status in ('pending', 'posted', 'dead')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  -- the ticket system's id of the comment, so the comment coming back by webhook is known as ours
  remote_id text,
  last_status_code int,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index ticket_replies_due_idx on ticket_replies (next_attempt_at) where status = 'pending';
create index ticket_replies_conversation_idx on ticket_replies (conversation_id, seq);
create index ticket_replies_tenant_idx on ticket_replies (tenant_id, created_at desc);

-- Restoring an archived conversation re-inserts its messages; it sets switchboard.restoring so that replies
-- posted long ago are not posted again.
create function queue_ticket_reply() returns trigger language plpgsql as $$
begin
  if current_setting('switchboard.restoring', true) = 'on' then
    return null;
  end if;
  insert into ticket_replies (message_id, conversation_id, tenant_id, source, ticket_id, seq)
  select new.id, c.id, c.tenant_id, k.source, substr(c.external_id, length(k.source) + 2), new.seq
  from conversations c join ticket_connections k on k.tenant_id = c.tenant_id and c.external_id like k.source || ':%'
  where c.id = new.conversation_id and c.channel = 'ticket'
  on conflict (message_id) do nothing;
  return null;
end $$;

create trigger messages_ticket_reply after insert on messages
  for each row when (new.role in ('assistant', 'human_agent')) execute function queue_ticket_reply();
