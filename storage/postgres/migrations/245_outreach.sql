-- Proactive outreach. A campaign occurrence (a cron fire, an order event, a manual or dry run) is a run; each
-- customer of its audience gets exactly one delivery row, whose (run, customer) key is what makes a send happen
-- once across crashes. Customers are named by the tools' own id (`customer_ref`, the retail user id), so
-- frequency caps count across every campaign that reaches them.
create table outreach_runs (
  id text primary key,
  tenant_id text not null,
  campaign text not null,
  -- `cron:<ms>`, `order-tx:<txid>`, `manual:<uuid>`: one run per occurrence, whoever notices it first
  occurrence text not null,
  -- the campaign version in force when the occurrence began; later edits do not change a run under way
  campaign_version int not null,
  spec jsonb not null,
  dry_run boolean not null default false,
  -- event runs: the orders the event changed, or the ticket requester's email (the audience is narrowed to them)
  order_ids text[],
  customer_emails text[],
  status text not null default 'queued' check (status in ('queued', 'running', 'paused', 'done')),
  -- keyset position of the decision pass: every customer at or before it has a delivery row
  cursor text,
  decided_all boolean not null default false,
  -- how many times a worker started (or resumed) the run: names that start's scheduled jobs
  starts int not null default 0,
  total int,
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (tenant_id, campaign, occurrence)
);
create index outreach_runs_active_idx on outreach_runs (status) where status in ('queued', 'running');

create table outreach_deliveries (
  id text primary key,
  run_id text not null references outreach_runs (id) on delete cascade,
  tenant_id text not null,
  customer_ref text not null,
  -- pending: to send now; deferred: quiet hours, sent at due_at; would_send: a dry run's answer
  status text not null check (status in ('pending', 'deferred', 'sent', 'skipped', 'would_send')),
  reason text,
  due_at timestamptz,
  address text,
  text text,
  conversation_id text,
  decided_at timestamptz not null default now(),
  sent_at timestamptz,
  unique (run_id, customer_ref)
);
create index outreach_deliveries_customer_idx on outreach_deliveries (tenant_id, customer_ref, decided_at)
  where status in ('pending', 'deferred', 'sent');
create index outreach_deliveries_run_status_idx on outreach_deliveries (run_id, status);
create index outreach_deliveries_conversation_idx on outreach_deliveries (conversation_id) where conversation_id is not null;

-- Consent per customer and channel: `in` (opted in), `out` (opted out: by the API, or "stop" in a reply).
create table outreach_consent (
  tenant_id text not null,
  customer_ref text not null,
  channel text not null,
  status text not null check (status in ('in', 'out')),
  source text not null,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, customer_ref, channel)
);

-- Addresses the tenant must never contact (emails lower-cased, phones as +digits), whatever the campaign.
create table outreach_suppressions (
  tenant_id text not null,
  address text not null,
  reason text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, address)
);

-- A customer's own time zone, for quiet hours (else one inferred from the address, else the campaign's default).
create table outreach_time_zones (
  tenant_id text not null,
  customer_ref text not null,
  time_zone text not null,
  primary key (tenant_id, customer_ref)
);

-- Order status changes of the retail tools' database, written by a trigger whatever made the change (a tool,
-- a workflow, an operator's SQL). One transaction's changes are one event: a warehouse delay that touches
-- many orders in one statement is one occurrence, one message per affected customer.
create table outreach_order_events (
  id bigint generated always as identity primary key,
  tx bigint not null default txid_current(),
  order_id text not null,
  user_id text not null,
  old_status text not null,
  new_status text not null,
  created_at timestamptz not null default now()
);

create function outreach_order_status_changed() returns trigger language plpgsql as $$
begin
  insert into outreach_order_events (order_id, user_id, old_status, new_status)
    select n.order_id, n.user_id, o.status, n.status from new_rows n join old_rows o using (order_id)
    where n.status is distinct from o.status;
  return null;
end $$;

create trigger retail_orders_status_outreach after update on retail_orders
  referencing new table as new_rows old table as old_rows
  for each statement execute function outreach_order_status_changed();

-- Ticket webhooks as campaign triggers: one row per ticket event with a requester email, recorded by the
-- ticket ingest and removed once every campaign it starts has its run.
create table outreach_ticket_events (
  id bigint generated always as identity primary key,
  tenant_id text not null,
  source text not null,
  ticket_id text not null,
  status text,
  email text not null,
  created_at timestamptz not null default now()
);

-- "Does this customer have an open escalation" is asked for every customer of an audience.
create index outreach_escalations_conversation_idx on escalations (conversation_id) where status in ('open', 'taken');
