// The guardrail pool's handler: judges a text against the guardrail policy. Checks that need a model
// (grounding, brand voice) run here, off the conversation's critical path.
import type { PoolHandlers } from '../protocol.ts'
import { judge } from '../../policy/index.ts'

export function createGuardrailHandler(): PoolHandlers['guardrail.check'] {
  return async (req) => judge(req.payload.stage, req.payload.text)
}
