-- Runs started from the API are played by the workers: one worker at a time holds a run under a lease it renews,
-- and a worker that died (kill -9) leaves a lease that expires, after which another worker resumes the run. Runs
-- the CLI plays are never taken by workers: the CLI process plays them itself.
alter table arena_runs
  add column played_by text not null default 'cli' check (played_by in ('cli', 'workers')),
  add column started_by text,
  add column runner text,
  add column lease_until timestamptz;
create index arena_runs_unplayed_idx on arena_runs (created_at) where played_by = 'workers' and status = 'running';
