// A lane: one isolated copy of the runtime (its own retail sandbox) that plays one trial at a time. The
// composition root builds lanes on real platforms; the runner only claims trials and hands them to lanes.
import type { ConversationEvidence } from '../../storage/index.ts'
import type { ConversingCustomer } from '../customer/index.ts'
import type { ArenaScenario, GoldAction } from '../scenarios/index.ts'
import type { ArenaConfiguration } from './run-spec.ts'

export interface LaneConversation {
  conversationId: string
  tenantId: string
  evidence: ConversationEvidence
  /** Digest of the sandbox after the conversation. */
  digest: string
  latencyMs: number[]
  turns: number
  /** Cassette warnings of this trial (a prompt that no longer matches its recording). */
  warnings?: string[]
}

export interface ArenaLane {
  readonly id: string
  /** Resets the sandbox, runs the gold actions straight through the tools, and digests the state they leave. */
  goldDigest(actions: GoldAction[]): Promise<string>
  /** Resets the sandbox and plays one conversation of the configuration in a tenant of its own. */
  converse(input: { key: string; config: ArenaConfiguration; scenario: ArenaScenario; customer: ConversingCustomer }): Promise<LaneConversation>
  close(): Promise<void>
}
