-- One row per WRITE tool call, keyed by its idempotency key. Written in the same transaction as the
-- tool's side effect, so a retried or redelivered call finds its recorded result instead of acting twice.
create table tool_calls (
  idempotency_key text primary key,
  tool text not null,
  args jsonb not null,
  -- where the call came from (the tool.invoke envelope), for the warm-tier history of a conversation
  conversation_id text,
  turn_id text,
  -- 'done' once the result is known; 'started' while an external (HTTP/MCP) call is in flight
  status text not null default 'done' check (status in ('started', 'done')),
  ok boolean,
  result jsonb,
  latency_ms int,
  created_at timestamptz not null default now(),
  completed_at timestamptz
);
create index tool_calls_conversation_idx on tool_calls (conversation_id, created_at) where conversation_id is not null;
