// What a run is asked to do: configurations × scenarios × trials, with an optional cost ceiling and a named
// suite. Stored with the run (scenarios resolved), so a resumed run plays exactly the same matrix.
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { AppError } from '../../lib/errors.ts'
import type { Resources } from '../../storage/index.ts'
import { assertNlCompiles } from '../grading/index.ts'
import { ArenaScenario } from '../scenarios/index.ts'

const Name = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' })

/** One column of the matrix: an agent run under a model, a policy, a maturity level and any other agent setting. */
export const ArenaConfiguration = Type.Object({
  name: Name,
  /** The agent whose definition is the starting point. @defaultValue 'demo' */
  agent: Type.Optional(Name),
  /** Maturity level for the run. */
  mode: Type.Optional(Type.Union([Type.Literal('assist'), Type.Literal('execute'), Type.Literal('operate')])),
  /** The agent's model route (`{ provider, model }` or `{ routingPolicy }`), as in the Agent resource. */
  model: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  /** The AgentPolicy by name; null runs the agent with no policy at all. */
  policy: Type.Optional(Type.Union([Name, Type.Null()])),
  /** Pins `policy` at this version of the tenant's store (an older one: old policy against new, side by side). */
  policyVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  /** The pinned version as the store had it, resolved when the run is created and kept with it, so a resumed run plays the same. */
  pinnedPolicy: Type.Optional(Type.Object({
    name: Name, version: Type.Integer({ minimum: 1 }), spec: Type.Record(Type.String(), Type.Unknown()),
  }, { additionalProperties: false })),
  /** Any other fields of the Agent spec (guardrail-related settings, instructions, tools…). */
  agentOverrides: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  /** Provider responses recorded to, or replayed from, this cassette file. */
  cassette: Type.Optional(Type.Object({ path: Type.String(), mode: Type.Union([Type.Literal('record'), Type.Literal('replay')]) })),
}, { additionalProperties: false })
export type ArenaConfiguration = Static<typeof ArenaConfiguration>

export const RunSpec = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  suite: Type.Optional(Name),
  configurations: Type.Array(ArenaConfiguration, { minItems: 1, maxItems: 20 }),
  scenarios: Type.Array(ArenaScenario, { minItems: 1, maxItems: 5000 }),
  trials: Type.Integer({ minimum: 1, maximum: 32 }),
  /** A model plays the customer of task scenarios (a provider of ROUTING_PROVIDERS); absent: the scripted customer. */
  customer: Type.Optional(Type.Object({ provider: Name, model: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false })),
  /** The run stops claiming trials once the finished ones cost this much. */
  costCeilingUsd: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
}, { additionalProperties: false })
export type RunSpec = Static<typeof RunSpec>

export function parseRunSpec(json: unknown): RunSpec {
  if (!Value.Check(RunSpec, json)) {
    const errors = [...Value.Errors(RunSpec, json)].slice(0, 5).map((e) => `${e.path || '/'}: ${e.message}`)
    throw new AppError('request.invalid', `invalid run spec: ${errors.join('; ')}`)
  }
  const names = json.configurations.map((c) => c.name)
  const dup = names.find((n, i) => names.indexOf(n) !== i)
  if (dup) throw new AppError('request.invalid', `configuration "${dup}" is named twice`)
  const unnamed = json.configurations.find((c) => c.policyVersion !== undefined && typeof c.policy !== 'string')
  if (unnamed) throw new AppError('request.invalid', `configuration "${unnamed.name}" pins policyVersion: name its "policy" too`)
  for (const s of json.scenarios) if (s.kind !== 'task') assertNlCompiles(s.assertions.nl, `scenario "${s.id}"`)
  const ids = json.scenarios.map((s) => s.id)
  const dupScenario = ids.find((n, i) => ids.indexOf(n) !== i)
  if (dupScenario) throw new AppError('request.invalid', `scenario "${dupScenario}" appears twice`)
  return json
}

/** The matrix in run order: each scenario's trials across configurations next to each other. */
export function expandTrials(spec: RunSpec): Array<{ config: string; scenario: string; trial: number }> {
  const out: Array<{ config: string; scenario: string; trial: number }> = []
  for (let trial = 0; trial < spec.trials; trial++) {
    for (const s of spec.scenarios) for (const c of spec.configurations) out.push({ config: c.name, scenario: s.id, trial })
  }
  return out
}

/** An AgentPolicy's spec at one version of the tenant's store (its own, else the platform's); undefined when there is none. */
export type PolicyVersionLookup = (name: string, version: number) => Promise<Record<string, unknown> | undefined>

/** The spec with each `policyVersion` resolved into `pinnedPolicy`; refuses a version the store does not have. */
export async function pinPolicies(spec: RunSpec, lookup: PolicyVersionLookup | undefined): Promise<RunSpec> {
  const configurations = await Promise.all(spec.configurations.map(async (c) => {
    if (c.policyVersion === undefined || c.pinnedPolicy) return c
    const name = c.policy as string
    if (!lookup) throw new AppError('request.invalid', `configuration "${c.name}" pins policyVersion, and no policy store was given to resolve it`)
    const pinned = await lookup(name, c.policyVersion)
    if (!pinned) throw new AppError('not_found', `AgentPolicy ${name} has no version ${c.policyVersion}`)
    return { ...c, pinnedPolicy: { name, version: c.policyVersion, spec: pinned } }
  }))
  return { ...spec, configurations }
}

/** Looks pinned versions up in the versioned resource store: the tenant's own AgentPolicy, else the platform's. */
export function storedPolicyVersions(resources: Pick<Resources, 'version'>, tenantId: string): PolicyVersionLookup {
  return async (name, version) => {
    for (const scope of [tenantId, '*']) {
      const found = await resources.version({ tenantId: scope, kind: 'AgentPolicy', name }, version)
      if (found?.spec) return found.spec
    }
    return undefined
  }
}
