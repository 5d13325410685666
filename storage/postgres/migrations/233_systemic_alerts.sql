-- Systemic-issue alerts: one firing alert per tenant and cluster (an intent, a failing tool, a complaint term) at a
-- time, with its latest count, its baseline and example conversations; resolved when the spike ends.
create table systemic_alerts (
  id bigint generated always as identity primary key,
  tenant_id text not null,
  key text not null,
  kind text not null check (kind in ('intent', 'tool_error', 'complaint')),
  value text not null,
  status text not null check (status in ('firing', 'resolved')),
  count int not null,
  baseline real not null,
  examples text[] not null default '{}',
  started_at timestamptz not null,
  resolved_at timestamptz,
  updated_at timestamptz not null default now()
);
create unique index systemic_alerts_firing_idx on systemic_alerts (tenant_id, key) where status = 'firing';
create index systemic_alerts_tenant_idx on systemic_alerts (tenant_id, started_at desc);
-- the cluster counts read recent turns and tool calls by time
create index turn_facts_created_idx on turn_facts (created_at);
create index tool_calls_created_idx on tool_calls (created_at) where ok = false;
create index messages_customer_created_idx on messages (created_at) where role = 'customer';
