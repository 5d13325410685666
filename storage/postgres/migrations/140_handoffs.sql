-- The human side of a handoff: which agent took it and when, and when it was resolved.
alter table escalations
  add column taken_by text,
  add column taken_at timestamptz,
  add column resolved_at timestamptz;

-- A turn asks whether it opened an escalation itself (its redelivery still owes the handoff reply).
create index escalations_turn_idx on escalations (turn_id);
