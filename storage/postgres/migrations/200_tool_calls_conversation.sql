-- Tool calls recorded before the tool pool passed the conversation on have no conversation_id, which erasure,
-- export, archiving and retention select by. Their idempotency key is `<turn>.tool.<call>`, and a turn is its
-- customer message, so the conversation is found from the key.
update tool_calls t set conversation_id = m.conversation_id, turn_id = coalesce(t.turn_id, m.id)
from messages m
where t.conversation_id is null and position('.tool.' in t.idempotency_key) > 0
  and m.id = split_part(t.idempotency_key, '.tool.', 1);
