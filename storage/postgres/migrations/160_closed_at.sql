-- When a conversation closed, set once: later writes move updated_at, and time to resolve must not move with it.
alter table conversations add column closed_at timestamptz;
update conversations set closed_at = updated_at where status = 'closed';
