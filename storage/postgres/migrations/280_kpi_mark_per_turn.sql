-- A model call no longer marks its conversation for the KPI sweep on its own: every provider call is made inside a
-- turn, and every turn ends in a write that marks the conversation after its model calls (the reply, the draft in
-- assist mode, or the escalation with its handoff reply), so the sweep still judges each call with its turn. The
-- trigger cost each model call an upsert of the conversation's mark, a turn with tool calls several.
drop trigger provider_calls_kpi_insert on provider_calls;
