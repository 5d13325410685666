-- What channels add to conversations: the external key of a ticket, the double-texting policy, CSAT.
alter table conversations
  add column external_id text,
  add column double_texting text not null default 'queue' check (double_texting in ('queue', 'merge'));
create unique index conversations_external_idx on conversations (tenant_id, channel, external_id)
  where external_id is not null;
-- cursor pagination walks (created_at, id) newest first within a tenant
create index conversations_tenant_page_idx on conversations (tenant_id, created_at desc, id desc);

create table csat_ratings (
  conversation_id text primary key references conversations (id) on delete cascade,
  tenant_id text not null,
  rating smallint not null check (rating between 1 and 5),
  comment text,
  created_at timestamptz not null default now()
);
