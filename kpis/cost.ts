// What one conversation cost: model spend as recorded, guardrail checks, infrastructure apportioned by the
// worker-seconds and bytes it used, and people's time (handoffs and QA reviews) at an hourly rate.
import type { ConversationFacts } from '../lib/conversation-facts.ts'
import type { CostRates } from '../lib/kpi-settings.ts'

export interface ConversationCost {
  modelUsd: number
  guardrailUsd: number
  infrastructureUsd: number
  humanUsd: number
  /** Minutes people spent: handoff handling and QA review. */
  humanMinutes: number
}

const GB = 1024 ** 3

export function costOf(f: ConversationFacts, r: CostRates): ConversationCost {
  const humanMinutes = (f.escalation?.handlingS ?? 0) / 60 + f.qa.reviews * r.qaReviewMinutes
  return {
    modelUsd: f.cost.modelUsd,
    guardrailUsd: f.cost.guardrailChecks * r.guardrailCheckUsd,
    infrastructureUsd: f.cost.workerS * r.workerSecondUsd + (f.cost.bytesStored / GB) * r.gbStoredUsd,
    humanUsd: (humanMinutes / 60) * r.humanHourUsd,
    humanMinutes,
  }
}
