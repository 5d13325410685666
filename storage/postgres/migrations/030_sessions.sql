-- Customers and their identities across channels, the cold-tier manifest, and the erasure log.
-- Linking an identity is explicit and audited: no identity is ever attached by guessing from a name.
create table customers (
  id text primary key,
  tenant_id text not null default 'default',
  created_at timestamptz not null default now()
);

-- One identity (an email, a phone, an external id such as 'zendesk:123') belongs to one customer per tenant.
create table customer_identities (
  tenant_id text not null,
  kind text not null check (kind in ('email', 'phone', 'external')),
  -- normalized: emails lower-cased, phones as +digits
  value text not null,
  customer_id text not null references customers (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (tenant_id, kind, value)
);
create index customer_identities_customer_idx on customer_identities (customer_id);

-- Who linked or unlinked which identity, and why. On erasure `value` is nulled: the fact stays, the PII goes.
create table customer_identity_audit (
  id bigint generated always as identity primary key,
  tenant_id text not null,
  customer_id text not null,
  action text not null check (action in ('create', 'link', 'unlink', 'erase')),
  kind text,
  value text,
  actor text not null,
  reason text,
  at timestamptz not null default now()
);
create index customer_identity_audit_customer_idx on customer_identity_audit (customer_id, id);

alter table conversations
  -- set while the conversation's rows live in the cold tier; the row itself stays as a small stub
  add column archived_at timestamptz,
  -- a restore counts as activity, so a conversation brought back is not archived again at once
  add column restored_at timestamptz;
create index conversations_customer_idx on conversations (customer_id, created_at desc) where customer_id is not null;
create index conversations_warm_idx on conversations (created_at) where archived_at is null;

-- The manifest of the cold tier: one compressed object per archived conversation.
create table cold_objects (
  conversation_id text primary key references conversations (id) on delete cascade,
  tenant_id text not null,
  customer_id text,
  object_key text not null,
  sha256 text not null,
  bytes int not null,
  message_count int not null,
  last_activity_at timestamptz,
  archived_at timestamptz not null default now()
);
create index cold_objects_archived_idx on cold_objects (archived_at);
create index cold_objects_customer_idx on cold_objects (customer_id) where customer_id is not null;

-- What each erasure removed (counts only: the log itself holds no personal data).
create table erasures (
  id bigint generated always as identity primary key,
  customer_id text not null,
  tenant_id text not null,
  report jsonb not null,
  at timestamptz not null default now()
);
