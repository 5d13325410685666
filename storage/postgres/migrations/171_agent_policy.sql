-- What the platform enforces on each tool call under an agent's AgentPolicy, and the state it decides from.

-- The customer a conversation is authenticated as, proved by a tool call; one customer per conversation.
create table conversation_subjects (
  conversation_id text primary key references conversations (id) on delete cascade,
  subject text not null,
  tool text not null,
  call_id text not null,
  created_at timestamptz not null default now()
);

-- A customer's yes is spent by the one action it confirmed: (turn, action) runs once.
create table confirmations_used (
  conversation_id text not null references conversations (id) on delete cascade,
  turn_id text not null,
  action text not null,
  call_id text not null,
  created_at timestamptz not null default now(),
  primary key (turn_id, action)
);

-- Every decision on a tool call, with the policy version and rule that made it and the (redacted) inputs.
create table policy_decisions (
  id bigint generated always as identity primary key,
  tenant_id text not null,
  conversation_id text not null references conversations (id) on delete cascade,
  turn_id text,
  call_id text not null,
  tool text not null,
  agent text not null,
  policy text,
  policy_version text,
  rule text not null,
  outcome text not null check (outcome in ('allow', 'deny', 'confirm', 'approve')),
  reason text,
  amount_usd numeric(12, 2),
  inputs jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index policy_decisions_conversation_idx on policy_decisions (conversation_id, id);
create index policy_decisions_call_idx on policy_decisions (call_id) where outcome = 'allow';

-- Money moved by tool calls, per spending category: reserved before the call runs, kept when it succeeds.
create table spend_ledger (
  call_id text primary key,
  tenant_id text not null,
  agent text not null,
  conversation_id text not null,
  subject text,
  category text not null,
  amount_usd numeric(12, 2) not null check (amount_usd >= 0),
  day date not null,
  status text not null check (status in ('reserved', 'spent')),
  created_at timestamptz not null default now()
);
create index spend_ledger_scope_idx on spend_ledger (tenant_id, category, day);

-- Actions a person must approve before they run (a refund above a threshold, say).
create table approval_requests (
  id text primary key,
  tenant_id text not null,
  conversation_id text not null references conversations (id) on delete cascade,
  turn_id text not null,
  agent text not null,
  tool text not null,
  args jsonb not null,
  action text not null,
  summary text not null,
  amount_usd numeric(12, 2),
  policy text not null,
  policy_version text not null,
  rule text not null,
  status text not null default 'pending' check (status in ('pending', 'approved', 'denied')),
  decided_by text,
  decided_at timestamptz,
  reason text,
  created_at timestamptz not null default now()
);
create unique index approval_requests_pending_idx on approval_requests (conversation_id, action) where status = 'pending';
create index approval_requests_tenant_idx on approval_requests (tenant_id, status, created_at);
