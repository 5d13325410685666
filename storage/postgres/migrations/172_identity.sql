-- Who the customer is: an identity a channel asserts is a claim; it is verified only when the tenant's backend
-- signed it. Unverified conversations get no history from the customer's other conversations.
alter table conversations add column identity_verified boolean not null default false;

-- Keys the deployment generates for itself (customer token signing), shared by every process.
create table deployment_keys (
  name text primary key,
  key bytea not null,
  created_at timestamptz not null default now()
);
