-- The model call's context read (storage/postgres/turn-context.ts) as a function whose plan is made once per session
-- and can only look rows up by key. As a prepared statement its generic plan, once chosen while the tables were tiny,
-- kept scanning them sequentially as they grew (until an ANALYZE, and none runs where autovacuum is off); planned for
-- every call instead, it cost more to parse and plan (0.45 ms) than to run (0.13 ms). Every part is a primary-key
-- lookup, so the function forbids sequential scans and keeps its one generic plan.
create function turn_context(ids text[], this_turn text, transcript_turns text[], input_step text, merged_step text)
returns table (kind text, id text, step text, role text, text text, result jsonb)
language plpgsql stable
set enable_seqscan = off
set plan_cache_mode = force_generic_plan
as $$
begin
  return query
    select 'm'::text, m.id, null::text, m.role, m.text, null::jsonb from messages m where m.id = any(ids)
    union all
    select 's'::text, s.turn_id, s.step, null::text, null::text, s.result from turn_steps s where s.turn_id = this_turn
    union all
    select 's'::text, s.turn_id, s.step, null::text, null::text, s.result from turn_steps s
    where s.turn_id = any(transcript_turns) and s.step = 'reply'
    union all
    select 's'::text, s.turn_id, s.step, null::text, null::text, s.result from turn_steps s
    where s.turn_id = any(ids) and s.turn_id <> this_turn and s.step in (input_step, merged_step);
end $$;
