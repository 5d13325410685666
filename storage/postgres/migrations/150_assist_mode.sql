-- Assist mode: an agent whose mode is `assist` only drafts; a person sends each draft (edited or not) or
-- discards it. Agents without a row run in `execute`.
create table agent_modes (
  tenant_id text not null,
  agent text not null,
  mode text not null check (mode in ('assist', 'execute', 'operate')),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, agent)
);

create table reply_drafts (
  id text primary key,
  conversation_id text not null references conversations (id) on delete cascade,
  turn_id text not null,
  text text not null,
  status text not null default 'pending' check (status in ('pending', 'sent', 'discarded')),
  decided_by text,
  decided_at timestamptz,
  -- the message a sent draft became (its text may have been edited)
  message_id text,
  created_at timestamptz not null default now()
);
create index reply_drafts_conversation_idx on reply_drafts (conversation_id, created_at);
