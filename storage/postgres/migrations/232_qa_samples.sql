-- The daily QA sample: which AI-handled conversations reviewers are asked to grade, with the stratum and reason that
-- chose them. One run per tenant and day: the run row and its samples are written in one transaction, and a second
-- worker's run for the same day finds the row and writes nothing.
create table qa_sample_runs (
  tenant_id text not null,
  day date not null,
  sampled int not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, day)
);

create table qa_samples (
  tenant_id text not null,
  day date not null,
  conversation_id text not null references conversations (id) on delete cascade,
  stratum text not null,
  reason text not null check (reason in ('random', 'low_confidence', 'low_csat')),
  created_at timestamptz not null default now(),
  primary key (tenant_id, day, conversation_id)
);
create index qa_samples_conversation_idx on qa_samples (conversation_id);
