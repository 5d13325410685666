// The guardrail pool's handler: judges a text against the guardrail policy. Checks that need a model
// (grounding, brand voice) run here, off the conversation's critical path.
import type { PoolHandlers } from '../protocol.ts'
import { judge } from '../../policy/index.ts'
import { withSpan } from '../../lib/spans.ts'
import type { RuntimeObserver } from '../observer.ts'

export function createGuardrailHandler(observer: RuntimeObserver): PoolHandlers['guardrail.check'] {
  return (req) => withSpan(`guardrail ${req.payload.stage}`, async (span) => {
    const verdict = judge(req.payload.stage, req.payload.text)
    observer.guardrailVerdict(req.payload.stage, verdict.rule, verdict.verdict)
    span.annotate(() => ({ 'switchboard.guardrail.check': verdict.rule, 'switchboard.guardrail.verdict': verdict.verdict }))
    return verdict
  })
}
