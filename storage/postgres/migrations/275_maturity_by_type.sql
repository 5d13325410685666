-- The maturity level an agent holds for one conversation type (the intent of a conversation's first classified
-- turn, as the KPIs define it), granted by a promotion through an Arena suite or lowered by an automatic demotion
-- when the type's KPIs fall below the suite's floors. Without a row, the agent's own `spec.mode` applies.
create table agent_type_maturity (
  tenant_id text not null,
  agent text not null,
  conversation_type text not null,
  mode text not null check (mode in ('assist', 'execute', 'operate')),
  -- the decision that set this level: its suite (whose floors the demotion check reads), run and approver
  decision_id bigint not null references promotion_decisions (id),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, agent, conversation_type)
);

-- Decisions now cover a conversation type (null: the agent as a whole) and automatic demotions, which name no
-- suite run and are approved by the platform's KPI check.
alter table promotion_decisions
  add column conversation_type text,
  drop constraint promotion_decisions_outcome_check,
  add constraint promotion_decisions_outcome_check check (outcome in ('promoted', 'refused', 'demoted'));
create index promotion_decisions_type_idx on promotion_decisions (tenant_id, agent, conversation_type, decided_at desc);
