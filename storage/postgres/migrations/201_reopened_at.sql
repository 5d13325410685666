-- When a closed conversation was last opened again (a customer writing to a solved ticket). A close sent before
-- that moment and handled after it is stale and leaves the conversation open; a close after it closes anew.
alter table conversations add column reopened_at timestamptz;
