-- Outbound webhooks: a tenant's subscriptions and every delivery with its state. The signing secret is
-- kept in clear because signing needs it; it is shown once at creation and never listed.
create table webhook_subscriptions (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  url text not null,
  events text[] not null,
  secret text not null,
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);
create index webhook_subscriptions_tenant_idx on webhook_subscriptions (tenant_id) where disabled_at is null;

create table webhook_deliveries (
  -- `<subscription>.<event type>.<event id>`: one delivery per event and subscription, however often relayed
  id text primary key,
  subscription_id text not null references webhook_subscriptions (id) on delete cascade,
  tenant_id text not null,
  conversation_id text not null,
  event_type text not null,
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
  attempts int not null default 0,
  last_status_code int,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index webhook_deliveries_subscription_idx on webhook_deliveries (subscription_id, created_at desc);
