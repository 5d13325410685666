-- What a person needs when they take over, stored with the escalation: the handoff package (summary, intent,
-- sentiment, profile, actions, failures, reason category, policy rule) and its completeness score; the queue and its
-- SLA clocks; and the holding messages the waiting customer was sent. New columns stay nullable: a conversation
-- archived before them comes back from cold with nulls there.
alter table escalations
  add column category text check (category in ('customer_asked', 'missing_knowledge', 'unsupported_request',
    'policy_restriction', 'guardrail', 'low_confidence', 'tool_failure', 'budget', 'pending_clarification',
    'approval_needed', 'system_failure')),
  add column package jsonb,
  add column completeness real check (completeness between 0 and 1),
  add column queue_id text,
  add column priority int default 0,
  add column first_response_due_at timestamptz,
  add column resolution_due_at timestamptz,
  add column first_response_at timestamptz,
  -- set once, by the one sweep that claims the breach: the breach event and metric follow from that claim
  add column first_response_breached_at timestamptz,
  add column resolution_breached_at timestamptz,
  add column holding_count int default 0,
  add column last_holding_at timestamptz,
  add constraint escalations_reason_present check (length(reason) > 0);
create index escalations_queue_idx on escalations (queue_id, status, created_at);
create index escalations_first_due_idx on escalations (first_response_due_at)
  where first_response_at is null and first_response_breached_at is null and status <> 'resolved';
create index escalations_resolution_due_idx on escalations (resolution_due_at)
  where resolution_breached_at is null and status <> 'resolved';

-- The person who took a handoff rates it: had what they needed, or what was missing. Feeds the KPIs. Ratings and
-- transfers hang off the conversation, not the escalation row: archiving moves escalations to cold and back, and
-- these must survive that; purging the conversation takes them with it.
create table handoff_ratings (
  escalation_id text primary key,
  conversation_id text not null references conversations (id) on delete cascade,
  tenant_id text not null,
  user_id text not null,
  had_what_needed boolean not null,
  missing text[] not null default '{}',
  comment text,
  created_at timestamptz not null default now()
);

-- Every transfer of a handoff to another queue or person, with who did it.
create table handoff_transfers (
  id bigint generated always as identity primary key,
  escalation_id text not null,
  conversation_id text not null references conversations (id) on delete cascade,
  tenant_id text not null,
  by_user text not null,
  from_queue text,
  to_queue text,
  from_agent text,
  to_agent text,
  note text,
  at timestamptz not null default now()
);
create index handoff_transfers_escalation_idx on handoff_transfers (escalation_id, id);
