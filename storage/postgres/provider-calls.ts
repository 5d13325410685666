// Every model call with its tokens, cost, latency and the fallback path it took: the basis of cost reports.
// Calls are written together with their turn step (see turn-steps.ts); this module reads them.
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
}

export function createProviderCalls(sql: Sql) {
  return {
    async forConversation(conversationId: string): Promise<ProviderCallRecord[]> {
      return sql<ProviderCallRecord[]>`select id, conversation_id as "conversationId", turn_id as "turnId", provider, model,
        input_tokens as "inputTokens", output_tokens as "outputTokens", cached_tokens as "cachedTokens",
        cost_usd as "costUsd", latency_ms as "latencyMs", fallback_path as "fallbackPath"
        from provider_calls where conversation_id = ${conversationId} order by created_at`
    },
  }
}
export type ProviderCalls = ReturnType<typeof createProviderCalls>
