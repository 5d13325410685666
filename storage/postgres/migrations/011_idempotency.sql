-- Idempotency-Key records: the first response to a keyed request, replayed to every retry of it.
-- Written in the same transaction as the resource it created, so a record never points at nothing.
create table idempotency_keys (
  tenant_id text not null,
  key text not null,
  -- sha256 of method, path and body: the same key with a different request is refused
  fingerprint text not null,
  status int not null,
  body jsonb not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, key)
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);
