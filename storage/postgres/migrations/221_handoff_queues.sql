-- Handoff queues per tenant: what they take (intents, reason categories), who may work them (skills), how urgent
-- they are (priority), how work is assigned, and their SLA targets. The default queue takes whatever no other does.
create table handoff_queues (
  id text primary key,
  tenant_id text not null,
  name text not null,
  priority int not null default 0,
  skills text[] not null default '{}',
  intents text[] not null default '{}',
  categories text[] not null default '{}',
  assignment text not null default 'take' check (assignment in ('take', 'round_robin')),
  first_response_sla_s int not null default 300 check (first_response_sla_s > 0),
  resolution_sla_s int not null default 3600 check (resolution_sla_s > 0),
  -- how often a waiting customer hears an updated holding message
  holding_interval_s int not null default 300 check (holding_interval_s > 0),
  is_default boolean not null default false,
  created_at timestamptz not null default now()
);
create unique index handoff_queues_name_idx on handoff_queues (tenant_id, lower(name));
create unique index handoff_queues_default_idx on handoff_queues (tenant_id) where is_default;
