// The AgentPolicy schema: one TypeBox object that validates YAML files and API bodies and is the custom
// resource's openAPIV3Schema. Structural for Kubernetes: no unions of objects, no recursion (`any` is one level).
import { Type, type Static } from '@sinclair/typebox'

const closed = { additionalProperties: false } as const
const Name = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })
const Tool = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })
const Mode = Type.Union([Type.Literal('assist'), Type.Literal('execute'), Type.Literal('operate')])
const Usd = Type.Number({ minimum: 0, description: 'US dollars' })

/**
 * A value of the call: `$args.order_id`, `$subject` (the customer authenticated in this conversation), a named
 * lookup's field (`$order.user_id`, `$user.payment_methods[$args.payment_method_id].balance`), or `$result.…`
 * (the tool's own output, checked before the model sees it).
 */
export const Ref = Type.String({ pattern: '^\\$[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+|\\[[^\\]]+\\])*$', description: 'a $reference' })

const Test = {
  /** Names the condition in decisions; absent: its position. */
  name: Type.Optional(Name),
  /** The customer is authenticated in this conversation. */
  authenticated: Type.Optional(Type.Boolean()),
  value: Type.Optional(Ref),
  /** A `$reference` or a literal string. */
  equals: Type.Optional(Type.String()),
  notEquals: Type.Optional(Type.String()),
  in: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
  startsWith: Type.Optional(Type.String({ minLength: 1 })),
  /** The value is a number at least this (a `$reference` or a number as text). */
  atLeast: Type.Optional(Type.String()),
  exists: Type.Optional(Type.Boolean()),
  /** What the model is told when the condition fails, so it can explain it to the customer. */
  message: Type.Optional(Type.String({ maxLength: 500 })),
}
export const Condition = Type.Object({ ...Test, any: Type.Optional(Type.Array(Type.Object(Test, closed), { minItems: 2 })) }, closed)
export type Condition = Static<typeof Condition>
export type Test = Omit<Condition, 'any'>

/** A READ tool the platform calls itself to check a condition: its arguments are `$references` or literals. */
export const Lookup = Type.Object({ tool: Tool, args: Type.Record(Type.String({ pattern: '^[A-Za-z0-9_]{1,64}$' }), Type.String()) }, closed)

/** How much money a call moves: one value, or the sum of a field over a list (items whose id is in the call). */
export const Amount = Type.Object({
  value: Type.Optional(Ref),
  sumOf: Type.Optional(Ref),
  field: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_]+$' })),
  where: Type.Optional(Type.Object({
    field: Type.String({ pattern: '^[A-Za-z0-9_]+$' }),
    in: Type.Optional(Ref),
    equals: Type.Optional(Type.String()),
  }, closed)),
}, closed)
export type Amount = Static<typeof Amount>

export const ToolRule = Type.Object({
  /** Names the rule in decisions. */
  name: Name,
  tools: Type.Array(Tool, { minItems: 1 }),
  /** Maturity levels where the tools may run. @defaultValue READ: every level; WRITE and GENERIC: execute and operate */
  allowedIn: Type.Optional(Type.Array(Mode, { minItems: 1 })),
  /** Never run these tools. */
  deny: Type.Optional(Type.Boolean()),
  lookups: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][A-Za-z0-9_]{0,30}$' }), Lookup)),
  /** Every condition must hold. */
  require: Type.Optional(Type.Array(Condition)),
  /** The customer must confirm exactly this action, after it was shown to them. */
  confirm: Type.Optional(Type.Boolean()),
  /** What the customer is asked to confirm: text with `{$references}`. @defaultValue the tool and its arguments */
  summary: Type.Optional(Type.String({ maxLength: 500 })),
  amount: Type.Optional(Amount),
  /** The spending category the amount counts against (`spending`). */
  spend: Type.Optional(Name),
  /** A person approves a call whose amount is above this before it runs. */
  approvalAbove: Type.Optional(Usd),
  /** Fields of the result the model never sees (dotted paths, `*` for any key). */
  hideFromModel: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9_*]+(\\.[A-Za-z0-9_*]+)*$' }))),
}, closed)
export type ToolRule = Static<typeof ToolRule>

export const TopicAction = Type.Object({
  /** decline: answer with `message`; escalate: a person takes over; handoff: another AI agent takes over. */
  action: Type.Union([Type.Literal('decline'), Type.Literal('escalate'), Type.Literal('handoff')]),
  message: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  /** The agent that takes over, for handoff. */
  agent: Type.Optional(Name),
}, closed)
export type TopicAction = Static<typeof TopicAction>

export const AgentPolicySpec = Type.Object({
  tenant: Type.String({ minLength: 1, maxLength: 64, default: '*' }),
  /** Recorded with every decision; bump it on each change. */
  version: Type.String({ minLength: 1, maxLength: 64 }),
  topics: Type.Optional(Type.Object({
    /** Conversation types (intents) the agent handles; absent: all of them. */
    allow: Type.Optional(Type.Array(Name, { minItems: 1 })),
    /** What happens to a new request of a type not allowed (and to out-of-scope requests). */
    outOfScope: TopicAction,
    /** Specific types handled differently (a complaint escalates, say). */
    rules: Type.Optional(Type.Array(Type.Object({ intents: Type.Array(Name, { minItems: 1 }), ...TopicAction.properties }, closed))),
  }, closed)),
  authentication: Type.Optional(Type.Object({
    /** Successful calls of these tools authenticate the customer as the `subject` they return. */
    tools: Type.Array(Type.Object({ tool: Tool, subject: Type.String({ default: '$result', pattern: '^\\$result(\\.[A-Za-z0-9_]+)*$' }) }, closed), { minItems: 1 }),
  }, closed)),
  /** WRITE and GENERIC tools no rule names: denied unless `allow`. @defaultValue 'deny' */
  unlistedWrites: Type.Union([Type.Literal('deny'), Type.Literal('allow')], { default: 'deny' }),
  tools: Type.Array(ToolRule, { default: [] }),
  /** Caps per spending category, enforced across every worker. */
  spending: Type.Optional(Type.Record(Name, Type.Object({
    perConversationUsd: Type.Optional(Usd),
    perCustomerDailyUsd: Type.Optional(Usd),
    perAgentDailyUsd: Type.Optional(Usd),
  }, closed))),
  /** The checks on what the agent says, before the customer sees it. */
  guardrails: Type.Optional(Type.Object({
    /** Every factual claim of a reply must be supported by a tool result or a retrieved passage. @defaultValue true */
    grounding: Type.Boolean({ default: true }),
    /** Below the threshold of its maturity level a reply goes to a person (assist: it is a draft anyway). */
    confidence: Type.Optional(Type.Object({
      assist: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
      execute: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
      operate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    }, closed)),
    brandVoice: Type.Optional(Type.Object({
      bannedPhrases: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 200 })),
      requiredDisclosures: Type.Optional(Type.Array(Type.Object({
        name: Name,
        text: Type.String({ minLength: 1, maxLength: 300 }),
        accept: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }))),
        when: Type.Union([Type.Literal('first_reply'), Type.Literal('every_reply')]),
      }, closed), { maxItems: 10 })),
      tone: Type.Optional(Type.Object({
        maxExclamations: Type.Optional(Type.Integer({ minimum: 0 })),
        noShouting: Type.Optional(Type.Boolean()),
        noBlame: Type.Optional(Type.Boolean()),
        noProfanity: Type.Optional(Type.Boolean()),
        noEmoji: Type.Optional(Type.Boolean()),
      }, closed)),
      /** Characters. */
      maxLength: Type.Optional(Type.Integer({ minimum: 50, maximum: 20_000 })),
    }, closed)),
  }, closed)),
  /** Model spend caps in USD, counted on the routing budgets' counters; a turn past one escalates. */
  modelBudget: Type.Optional(Type.Object({
    conversationUsd: Type.Optional(Usd),
    customerDailyUsd: Type.Optional(Usd),
    tenantDailyUsd: Type.Optional(Usd),
  }, closed)),
  dataAccess: Type.Optional(Type.Object({
    /** Emails, phones, card numbers and street addresses become placeholders before text reaches a vendor model. @defaultValue true */
    redactPii: Type.Boolean({ default: true }),
  }, closed)),
  /** Calls this policy must allow or refuse, checked every time it is loaded. */
  examples: Type.Array(Type.Object({
    name: Type.String({ minLength: 1, maxLength: 200 }),
    tool: Tool,
    args: Type.Record(Type.String(), Type.Unknown()),
    maturity: Type.Optional(Mode),
    subject: Type.Optional(Type.String()),
    confirmed: Type.Optional(Type.Boolean()),
    approved: Type.Optional(Type.Boolean()),
    /** What each lookup returns, by lookup name. */
    lookups: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    /** What the tool returns, for conditions on `$result`. */
    result: Type.Optional(Type.Unknown()),
    expect: Type.Union([Type.Literal('allow'), Type.Literal('deny'), Type.Literal('confirm'), Type.Literal('approve')]),
    /** The rule expected to decide. */
    rule: Type.Optional(Type.String()),
  }, closed), { minItems: 1 }),
}, closed)
export type AgentPolicySpec = Static<typeof AgentPolicySpec>
