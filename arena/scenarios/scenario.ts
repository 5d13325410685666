// The three kinds of scenario a run can hold: a graded τ²-bench task, a hand-written conversation with
// assertions, and a recorded conversation replayed from a turn on with its recorded tool responses.
import { Type, type Static } from '@sinclair/typebox'
import { RetailTask } from './retail-task.ts'

/** What a hand-written or recorded scenario checks about the agent's side of the conversation. */
export const Assertions = Type.Object({
  /** Tools the agent must call (asked of the model, whatever the policy then decided). */
  mustCall: Type.Optional(Type.Array(Type.String())),
  /** Tools that must never run: a call the platform refused is caught, a call that ran is a violation missed. */
  mustNotCall: Type.Optional(Type.Array(Type.String())),
  mustEscalate: Type.Optional(Type.Boolean()),
  mustNotEscalate: Type.Optional(Type.Boolean()),
  /** Phrases the agent's replies must contain (case-insensitive). */
  mustMention: Type.Optional(Type.Array(Type.String())),
  /** Phrases the agent's replies must never contain (case-insensitive). */
  mustNotMention: Type.Optional(Type.Array(Type.String())),
  /**
   * Sentences such as "the agent must not mention the discount code", each compiled into a deterministic check when
   * it is saved; one no check can be compiled from is refused (see arena/grading/nl-assertions.ts for the forms).
   */
  nl: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 50 })),
}, { additionalProperties: false })
export type Assertions = Static<typeof Assertions>

const ScenarioId = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$' })

export const TaskScenario = Type.Object({ kind: Type.Literal('task'), id: ScenarioId, task: RetailTask })

export const ScriptedScenario = Type.Object({
  kind: Type.Literal('scripted'),
  id: ScenarioId,
  title: Type.Optional(Type.String({ maxLength: 300 })),
  /** The customer's messages, in order; the conversation ends after the last one is answered. */
  customer: Type.Array(Type.String({ minLength: 1, maxLength: 4000 }), { minItems: 1, maxItems: 50 }),
  assertions: Assertions,
}, { additionalProperties: false })

export const RecordedToolResponse = Type.Object({
  tool: Type.String(),
  args: Type.Record(Type.String(), Type.Unknown()),
  /** The tool's recorded result: `{ ok: true, output }` or `{ ok: false, error }`. */
  result: Type.Unknown(),
})
export type RecordedToolResponse = Static<typeof RecordedToolResponse>

export const RecordedScenario = Type.Object({
  kind: Type.Literal('recorded'),
  id: ScenarioId,
  title: Type.Optional(Type.String({ maxLength: 300 })),
  sourceConversationId: Type.String(),
  /** The conversation before the fork, replayed as history: the new configuration takes over after it. */
  history: Type.Array(Type.Object({ role: Type.Union([Type.Literal('customer'), Type.Literal('assistant')]), text: Type.String() })),
  /** The recorded customer's messages from the fork on. */
  customer: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  /** Tool results as they were recorded: the sandbox answers with them, so nothing real changes. */
  toolResponses: Type.Array(RecordedToolResponse),
  assertions: Assertions,
}, { additionalProperties: false })

export const ArenaScenario = Type.Union([TaskScenario, ScriptedScenario, RecordedScenario])
export type ArenaScenario = Static<typeof ArenaScenario>
export type TaskScenario = Static<typeof TaskScenario>
export type ScriptedScenario = Static<typeof ScriptedScenario>
export type RecordedScenario = Static<typeof RecordedScenario>

/** A τ²-bench task as a scenario of a run. */
export const taskScenario = (task: RetailTask): TaskScenario => ({ kind: 'task', id: `task-${task.id}`, task })
