-- The human side of a handoff: which agent took it and when, and when it was resolved.
alter table escalations
  add column taken_by text,
  add column taken_at timestamptz,
  add column resolved_at timestamptz;
