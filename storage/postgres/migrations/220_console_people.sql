-- The people behind the console: accounts with one role per tenant, and their server-side sessions. Passwords and
-- session tokens are stored only as hashes; the CSRF token is a second secret the page must echo on every write.
create table console_users (
  id text primary key,
  tenant_id text not null,
  email text not null,
  name text not null,
  role text not null check (role in ('agent', 'qa_reviewer', 'supervisor', 'admin')),
  password_hash text not null,
  -- what a queue may ask for (billing, returns, vip): round robin only assigns to people who have them all
  skills text[] not null default '{}',
  available boolean not null default false,
  -- round robin picks the available person who was assigned least recently
  last_assigned_at timestamptz,
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);
create unique index console_users_email_idx on console_users (tenant_id, lower(email));

create table console_sessions (
  token_hash text primary key,
  user_id text not null references console_users (id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index console_sessions_user_idx on console_sessions (user_id);
create index console_sessions_expiry_idx on console_sessions (expires_at);
