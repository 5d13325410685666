-- Arena runs: a matrix of configurations × scenarios × trials. Each trial is a row claimed by one runner at a
-- time, so a run killed mid-way resumes where it stopped and a finished trial is never run again.
create table arena_runs (
  id text primary key,
  tenant_id text not null,
  name text not null,
  -- the named suite the run measured, if any (the promotion gate reads runs by suite)
  suite text,
  spec jsonb not null,
  status text not null default 'running' check (status in ('running', 'done', 'cost_ceiling', 'failed')),
  cost_ceiling_usd numeric(14, 6),
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index arena_runs_tenant_idx on arena_runs (tenant_id, created_at desc);
create index arena_runs_suite_idx on arena_runs (tenant_id, suite, created_at desc) where suite is not null;

create table arena_trials (
  run_id text not null references arena_runs (id) on delete cascade,
  config text not null,
  scenario text not null,
  trial int not null,
  -- run order: trials of one scenario across configurations sit next to each other
  position int not null,
  status text not null default 'pending' check (status in ('pending', 'running', 'done')),
  -- attempts started; above 1 only for a trial whose runner died before it finished
  attempts int not null default 0,
  claimed_by text,
  claimed_at timestamptz,
  conversation_id text,
  success boolean,
  cost_usd numeric(14, 6) not null default 0,
  result jsonb,
  finished_at timestamptz,
  primary key (run_id, config, scenario, trial)
);
create index arena_trials_pending_idx on arena_trials (run_id, position) where status = 'pending';

-- Scenarios kept by a tenant: hand-written ones with assertions, and conversations turned into regression
-- scenarios (their customer turns and recorded tool responses), grouped into named suites.
create table arena_scenarios (
  tenant_id text not null,
  id text not null,
  suite text not null,
  kind text not null check (kind in ('task', 'scripted', 'recorded')),
  spec jsonb not null,
  source_conversation_id text,
  created_by text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index arena_scenarios_suite_idx on arena_scenarios (tenant_id, suite, created_at);
-- one regression scenario per conversation and suite: the one call is safe to repeat
create unique index arena_scenarios_source_idx on arena_scenarios (tenant_id, suite, source_conversation_id) where source_conversation_id is not null;

-- Every promotion decision: raising an agent's maturity only when a named suite met its thresholds.
create table promotion_decisions (
  id bigint generated always as identity primary key,
  tenant_id text not null,
  agent text not null,
  from_mode text not null,
  to_mode text not null,
  suite text not null,
  run_id text,
  approver text not null,
  policy text,
  policy_version text,
  thresholds jsonb not null,
  measured jsonb not null,
  outcome text not null check (outcome in ('promoted', 'refused')),
  reasons text[] not null default '{}',
  agent_version int,
  decided_at timestamptz not null default now()
);
create index promotion_decisions_agent_idx on promotion_decisions (tenant_id, agent, decided_at desc);
