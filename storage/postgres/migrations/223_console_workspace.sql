-- The console's own records: internal notes on a conversation (never sent to the customer), the tenant's canned
-- responses, and QA reviews of conversations against a rubric.
create table conversation_notes (
  id text primary key,
  conversation_id text not null references conversations (id) on delete cascade,
  tenant_id text not null,
  author_id text not null,
  author_name text not null,
  text text not null,
  created_at timestamptz not null default now()
);
create index conversation_notes_conversation_idx on conversation_notes (conversation_id, created_at);

create table canned_responses (
  id text primary key,
  tenant_id text not null,
  title text not null,
  text text not null,
  created_by text not null,
  created_at timestamptz not null default now()
);
create unique index canned_responses_title_idx on canned_responses (tenant_id, lower(title));

create table qa_reviews (
  id text primary key,
  conversation_id text not null references conversations (id) on delete cascade,
  tenant_id text not null,
  reviewer_id text not null,
  -- criterion -> score (1..5), criteria from the rubric the review was made with
  scores jsonb not null,
  score real not null check (score between 0 and 1),
  rubric_version text not null,
  comment text,
  created_at timestamptz not null default now(),
  unique (conversation_id, reviewer_id)
);
create index qa_reviews_tenant_idx on qa_reviews (tenant_id, created_at desc);
