-- Why a model answered: the routing policy version and rule that chose it, and why the call left the rule's
-- first choice (a budget step to a cheaper or the local model, or a failover past a provider). All null
-- when no routing policy is configured, and for calls recorded before this migration.
alter table provider_calls
  add column routing_policy_version text,
  add column routing_rule text,
  add column degraded_by text;
