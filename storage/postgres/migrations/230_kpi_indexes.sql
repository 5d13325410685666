-- What the KPI read needs indexed at 100,000 conversations: one agent's conversations over a window, a customer's
-- next conversation (did they come back?), and each conversation's escalations and handoff ratings.
create index conversations_agent_created_idx on conversations (tenant_id, agent, created_at);
create index conversations_customer_created_idx on conversations (tenant_id, customer_id, created_at) where customer_id is not null;
create index escalations_conversation_idx on escalations (conversation_id, created_at);
create index handoff_ratings_conversation_idx on handoff_ratings (conversation_id);
