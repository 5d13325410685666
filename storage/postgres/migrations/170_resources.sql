-- Declarative resources a team writes (agents, tools, MCP servers, policies), every version kept. The newest
-- version of (tenant, kind, name) is the one in force; a null spec marks a deletion. Restoring an old version
-- writes a new one with its content, so the history only grows. tenant_id '*' is the platform scope: it
-- applies to every tenant without its own resource of that name.
create table resource_versions (
  tenant_id text not null,
  kind text not null,
  name text not null,
  version int not null check (version > 0),
  spec jsonb,
  created_by text not null,
  comment text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, kind, name, version)
);

-- Credentials tools use (HTTP auth headers, MCP server tokens), encrypted with the deployment's SECRETS_KEY.
-- Never returned by the API; `key_id` names the key that sealed a value, so a rotated key is noticed.
create table tenant_secrets (
  tenant_id text not null,
  name text not null,
  ciphertext bytea not null,
  nonce bytea not null,
  key_id text not null,
  updated_by text not null,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, name)
);

-- What routing, policy and the KPIs need to know of each turn, recorded once when it begins.
create table turn_facts (
  turn_id text primary key,
  conversation_id text not null references conversations (id) on delete cascade,
  agent text not null,
  -- the scope ('*' or the tenant) and version of the agent definition the turn ran; null when it had none
  agent_scope text,
  agent_version int,
  -- the AgentPolicy the agent ran under: its name and stored version
  policy text,
  policy_version int,
  mode text,
  intent text,
  intent_confidence real,
  segment text,
  -- tools the agent lists that were withdrawn during the turn (a source down, a tool timing out), with why
  withdrawn jsonb,
  created_at timestamptz not null default now()
);
create index turn_facts_conversation_idx on turn_facts (conversation_id, created_at);

-- A customer's segment (a plan, a VIP flag), set by the tenant: routing rules and KPIs match on it.
alter table customers add column segment text;

-- The agent's mode now lives in its versioned definition (spec.mode).
drop table agent_modes;
