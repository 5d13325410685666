-- Conversations, their messages, and the checkpoints that make turns resumable.
create table conversations (
  id text primary key,
  tenant_id text not null default 'default',
  customer_id text,
  channel text not null default 'chat',
  agent text not null default 'demo',
  status text not null default 'open' check (status in ('open', 'escalated', 'closed')),
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index conversations_tenant_idx on conversations (tenant_id, created_at desc);

create table messages (
  id text primary key,
  conversation_id text not null references conversations (id) on delete cascade,
  seq bigint generated always as identity,
  role text not null check (role in ('customer', 'assistant', 'human_agent', 'system')),
  text text not null,
  -- for an assistant reply: the id of the customer message it answers
  turn_id text,
  created_at timestamptz not null default now()
);
create index messages_conversation_idx on messages (conversation_id, seq);

-- One row per completed step of a turn: a redelivered turn skips every step found here.
create table turn_steps (
  turn_id text not null,
  step text not null,
  result jsonb not null,
  created_at timestamptz not null default now(),
  primary key (turn_id, step)
);

create table provider_calls (
  id text primary key,
  conversation_id text not null,
  turn_id text not null,
  provider text not null,
  model text not null,
  input_tokens int not null default 0,
  output_tokens int not null default 0,
  cached_tokens int not null default 0,
  cost_usd numeric(14, 8) not null default 0,
  latency_ms int not null,
  fallback_path text[] not null default '{}',
  created_at timestamptz not null default now()
);
create index provider_calls_conversation_idx on provider_calls (conversation_id);

create table escalations (
  id text primary key,
  conversation_id text not null references conversations (id) on delete cascade,
  turn_id text,
  reason text not null,
  detail text,
  status text not null default 'open' check (status in ('open', 'taken', 'resolved')),
  created_at timestamptz not null default now()
);
create index escalations_open_idx on escalations (status, created_at);
