-- Warehouse export: where each sink is in each stream (its checkpoint, moved only after the sink acknowledged the
-- rows up to it), and the rows a sink rejected, kept for a person to look at instead of blocking the stream.
create table export_checkpoints (
  sink text not null,
  stream text not null,
  position jsonb,
  exported bigint not null default 0,
  dead_lettered bigint not null default 0,
  updated_at timestamptz not null default now(),
  primary key (sink, stream)
);

create table export_dead_letters (
  id bigint generated always as identity primary key,
  sink text not null,
  stream text not null,
  row_key text not null,
  row jsonb not null,
  error text not null,
  created_at timestamptz not null default now()
);
create index export_dead_letters_sink_idx on export_dead_letters (sink, stream, id);

-- The export walks each stream in key order from its checkpoint.
create index messages_seq_idx on messages (seq);
create index conversations_updated_idx on conversations (updated_at, id);
create index provider_calls_created_idx on provider_calls (created_at, id);
create index escalations_created_idx on escalations (created_at, id);
create index csat_ratings_created_idx on csat_ratings (created_at, conversation_id);
