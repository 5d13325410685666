// Every model call with its tokens, cost, latency and the fallback path it took: the basis of cost reports.
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
    async record(c: ProviderCallRecord, tx: Sql = sql): Promise<void> {
      await tx`insert into provider_calls (id, conversation_id, turn_id, provider, model, input_tokens, output_tokens,
          cached_tokens, cost_usd, latency_ms, fallback_path)
        values (${c.id}, ${c.conversationId}, ${c.turnId}, ${c.provider}, ${c.model}, ${c.inputTokens}, ${c.outputTokens},
          ${c.cachedTokens}, ${c.costUsd}, ${Math.round(c.latencyMs)}, ${c.fallbackPath}) on conflict (id) do nothing`
    },
    async forConversation(conversationId: string): Promise<ProviderCallRecord[]> {
      return sql<ProviderCallRecord[]>`select id, conversation_id as "conversationId", turn_id as "turnId", provider, model,
        input_tokens as "inputTokens", output_tokens as "outputTokens", cached_tokens as "cachedTokens",
        cost_usd as "costUsd", latency_ms as "latencyMs", fallback_path as "fallbackPath"
        from provider_calls where conversation_id = ${conversationId} order by created_at`
    },
  }
}
export type ProviderCalls = ReturnType<typeof createProviderCalls>
