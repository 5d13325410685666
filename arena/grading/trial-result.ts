// What one trial measured: the verdict with its reasons, what went wrong, and what it cost. Stored as the
// trial's result and read back by the report, so it is plain JSON.

/** `unjudged`: the conversation escalated and the scenario says nothing about whether it should. */
export type EscalationVerdict = 'needed' | 'needless' | 'missed' | 'none' | 'unjudged'

export interface AssertionOutcome {
  assertion: string
  passed: boolean
  detail?: string
}

export interface TrialResult {
  success: boolean
  /** Why it failed, one line each (empty on success). */
  failures: string[]
  /** Task scenarios: the sandbox's final state equals the one the gold actions leave. */
  dbMatch: boolean | null
  missingOutputs: string[]
  assertions: AssertionOutcome[]
  /** Writes that ran and that the gold actions (or the scenario) do not contain. */
  wrongWrites: Array<{ tool: string; args: Record<string, unknown> }>
  violations: { caught: number; missed: number }
  escalation: EscalationVerdict
  escalated: boolean
  /** Why the conversation went to a person, as the platform recorded it. */
  handoff?: string
  groundingFailures: number
  costUsd: number
  tokens: { input: number; output: number }
  /** Per agent reply, from the customer's message to the reply. */
  latencyMs: number[]
  turns: number
  policyVersion: string | null
  transcript: Array<{ role: string; text: string }>
  /** The tools the model asked for, in order. */
  calls: Array<{ tool: string; args: Record<string, unknown> }>
  /**
   * τ²-bench tasks' `nl_assertions`, apart from success: those compiled into a deterministic check, graded, and those
   * only a model could judge, ungraded. (A hand-written scenario's `nl` assertions are in `assertions` and count.)
   */
  nlAssertions?: { graded: AssertionOutcome[]; ungraded: string[] }
  /** Cassette warnings: prompts that no longer match their recording. */
  warnings?: string[]
  /** Set when the trial could not be played to its end (a lane failure): it counts as failed. */
  error?: string
}
