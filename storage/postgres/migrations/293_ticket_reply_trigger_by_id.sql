-- The ticket-reply trigger ran its function for every reply of every conversation, to find in its body that nearly
-- all of them are not tickets: a PL/pgSQL call and a join per turn, 48 µs of a turn's writes (bench:turn-writes). Only
-- a conversation a ticket opened has a ticket to post to, and its id says so (`tkt_`, channels/ticketing/ingest.ts):
-- the trigger's condition now checks that first, in the executor, so other replies never call the function.
drop trigger messages_ticket_reply on messages;
create trigger messages_ticket_reply after insert on messages
  for each row when (new.role in ('assistant', 'human_agent') and starts_with(new.conversation_id, 'tkt_')) execute function queue_ticket_reply();
