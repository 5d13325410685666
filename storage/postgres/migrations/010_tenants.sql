-- Tenants and their API keys. Keys are stored only as sha256 hashes; `prefix` lets people recognise one.
create table tenants (
  id text primary key,
  name text not null,
  -- requests per second across all API processes; null means the deployment default
  rate_limit_per_s int check (rate_limit_per_s > 0),
  created_at timestamptz not null default now()
);

create table api_keys (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  hash text not null unique,
  prefix text not null,
  name text not null default '',
  scopes text[] not null check (scopes <@ array['channel', 'console', 'admin']::text[] and cardinality(scopes) > 0),
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index api_keys_tenant_idx on api_keys (tenant_id, created_at);
