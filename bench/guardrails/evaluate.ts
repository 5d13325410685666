// Script: the guardrail evaluations as one JSON object (npm run eval:guardrails). Deterministic; about
// 10 s, most of it training the out-of-scope model.
import { evaluateOutOfScope } from '../../providers/local/index.ts'
import { evaluateBrandVoice, evaluateGrounding, evaluateInjection, evaluateReplyTemplates, evaluateSentiment } from './evaluation.ts'

const topic = evaluateOutOfScope()
console.log(JSON.stringify({
  injection: evaluateInjection(),
  topic: { ...topic, missedOutOfScope: topic.missedOutOfScope.length, rejectedInScope: topic.rejectedInScope },
  grounding: evaluateGrounding(),
  replyTemplates: evaluateReplyTemplates(),
  sentiment: evaluateSentiment(),
  brandVoice: evaluateBrandVoice(),
}, null, 2))
