// Every model call with its tokens, cost, latency, the fallback path it took and the routing decision behind
// it: the basis of cost reports and of "why this model". Calls are written together with their turn step
// (see turn-steps.ts); this module reads them.
import type { Sql } from './client.ts'

export interface ProviderCallRecord {
  id: string
  conversationId: string
  turnId: string
  provider: string
  model: string
  inputTokens: number
  outputTokens: number
  cachedTokens: number
  costUsd: number
  latencyMs: number
  fallbackPath: string[]
  /** The routing policy version that chose the model; null when no routing policy is configured. */
  policyVersion: string | null
  /** The policy rule that matched; null with `policyVersion`. */
  rule: string | null
  /** Why the call left the rule's first choice (a budget step, a failover); null when it did not. */
  degradedBy: string | null
}

/** The select list of a `ProviderCallRecord`, shared by every reader so none misses a column. */
export const providerCallColumns = (sql: Sql) => sql`id, conversation_id as "conversationId", turn_id as "turnId", provider, model,
  input_tokens as "inputTokens", output_tokens as "outputTokens", cached_tokens as "cachedTokens",
  cost_usd as "costUsd", latency_ms as "latencyMs", fallback_path as "fallbackPath",
  routing_policy_version as "policyVersion", routing_rule as "rule", degraded_by as "degradedBy"`

export function createProviderCalls(sql: Sql) {
  return {
    async forConversation(conversationId: string): Promise<ProviderCallRecord[]> {
      return sql<ProviderCallRecord[]>`select ${providerCallColumns(sql)}
        from provider_calls where conversation_id = ${conversationId} order by created_at`
    },
  }
}
export type ProviderCalls = ReturnType<typeof createProviderCalls>
