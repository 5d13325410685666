// The QA rubric a reviewer grades a conversation with: each criterion 1 (poor) to 5 (excellent). The version is
// stored with every review, so grades made under an older rubric stay readable.

export interface RubricCriterion {
  id: string
  label: string
  question: string
}

export const QA_RUBRIC = {
  version: 'rubric-2026.1',
  criteria: [
    { id: 'accuracy', label: 'Accuracy', question: 'Was every fact and action correct and grounded in a tool result or policy?' },
    { id: 'policy', label: 'Policy', question: 'Did the conversation follow the agent policy (authentication, confirmation, limits)?' },
    { id: 'resolution', label: 'Resolution', question: "Was the customer's problem solved, or handed over with what was needed?" },
    { id: 'tone', label: 'Tone', question: 'Was the tone clear, kind and on brand?' },
    { id: 'handoff', label: 'Handoff', question: 'Was the handoff (if any) timely, honest and complete?' },
  ] satisfies RubricCriterion[],
} as const

/** A review's overall score, 0 (all 1s) to 1 (all 5s). */
export function scoreReview(scores: Record<string, number>): number {
  const values = QA_RUBRIC.criteria.map((c) => scores[c.id] ?? 1)
  return Math.round((values.reduce((a, b) => a + b - 1, 0) / (4 * values.length)) * 100) / 100
}
