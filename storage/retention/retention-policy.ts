// Retention policies: declarative, versioned YAML documents, each also a RetentionPolicy custom resource.
// Resolution is pure: the most specific policy (tenant, then agent) wins.
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { parseAllDocuments } from 'yaml'
import { AppError } from '../../lib/errors.ts'
import { resourceSchema, SWITCHBOARD_API_VERSION } from '../../lib/crd.ts'

const Days = Type.Number({ minimum: 0, description: 'days' })
// A misspelt field must fail loudly, not silently keep data forever (the CRD drops this; the API server prunes).
const closed = { additionalProperties: false } as const

export const RetentionPolicySpec = Type.Object({
  /** Bumped on every change; recorded with each retention decision. */
  version: Type.Integer({ minimum: 1 }),
  /** A tenant id, or '*' for every tenant. @defaultValue '*' */
  tenant: Type.String({ minLength: 1, default: '*' }),
  /** An agent name, or '*' for every agent. @defaultValue '*' */
  agent: Type.String({ minLength: 1, default: '*' }),
  hot: Type.Object({ ttlSeconds: Type.Integer({ minimum: 1 }) }, closed),
  /** Days after the last activity before a conversation leaves warm; absent keeps it warm. */
  warm: Type.Object({ days: Type.Optional(Days) }, closed),
  /** Days an archive is kept before it is purged; 0 purges at the end of warm without archiving; absent keeps it. */
  cold: Type.Object({ days: Type.Optional(Days) }, closed),
}, closed)

export const RETENTION_API_VERSION = SWITCHBOARD_API_VERSION

/** The file and the custom resource (k8s/crds/retention-policy.yaml) share this envelope. */
export const RetentionPolicy = resourceSchema('RetentionPolicy', RetentionPolicySpec)
export type RetentionPolicy = Static<typeof RetentionPolicy>

/** What applies to one tenant's agent, and which policy version said so. */
export interface ResolvedRetention {
  policy: string
  hotTtlMs: number
  warmMs?: number
  coldMs?: number
}

const DAY_MS = 86_400_000

/** Parses one or more `---`-separated policies; throws `config.invalid` naming every problem. */
export function parseRetentionPolicies(text: string, source = 'retention policies'): RetentionPolicy[] {
  const policies = parseAllDocuments(text).filter((d) => d.contents !== null).map((doc, i) => {
    if (doc.errors.length > 0) throw new AppError('config.invalid', `${source} #${i + 1}: ${doc.errors[0]!.message}`)
    const value = Value.Default(RetentionPolicy, doc.toJS())
    const errors = [...Value.Errors(RetentionPolicy, value)].map((e) => `${e.path || '/'}: ${e.message}`)
    if (errors.length > 0) throw new AppError('config.invalid', `${source} #${i + 1}: ${errors.join('; ')}`)
    return value as RetentionPolicy
  })
  const selectors = policies.map((p) => `${p.spec.tenant}/${p.spec.agent}`)
  const dup = selectors.find((s, i) => selectors.indexOf(s) !== i)
  if (dup) throw new AppError('config.invalid', `${source}: two policies select ${dup}`)
  return policies
}

/** Resolution over a policy set; `fallbackHotTtlMs` applies (and nothing expires) where no policy matches. */
export function createRetentionResolver(policies: RetentionPolicy[], fallbackHotTtlMs: number) {
  const specificity = (p: RetentionPolicy) => (p.spec.tenant === '*' ? 0 : 2) + (p.spec.agent === '*' ? 0 : 1)
  const ordered = [...policies].sort((a, b) => specificity(b) - specificity(a))
  const cache = new Map<string, ResolvedRetention>()
  const compute = (tenantId: string, agent: string): ResolvedRetention => {
    const p = ordered.find((q) => [tenantId, '*'].includes(q.spec.tenant) && [agent, '*'].includes(q.spec.agent))
    if (!p) return { policy: 'none', hotTtlMs: fallbackHotTtlMs }
    const ms = (days?: number) => (days === undefined ? undefined : days * DAY_MS)
    return { policy: `${p.metadata.name}@${p.spec.version}`, hotTtlMs: p.spec.hot.ttlSeconds * 1000, warmMs: ms(p.spec.warm.days), coldMs: ms(p.spec.cold.days) }
  }
  return {
    resolve(tenantId: string, agent: string): ResolvedRetention {
      const key = `${tenantId}\u0000${agent}`
      const hit = cache.get(key) ?? compute(tenantId, agent)
      cache.set(key, hit)
      return hit
    },
    /** The shortest warm and cold spans of any policy: nothing younger can expire anywhere. */
    shortest(): { warmMs?: number; coldMs?: number } {
      const min = (xs: (number | undefined)[]) => (xs.some((x) => x !== undefined) ? Math.min(...xs.filter((x) => x !== undefined)) * DAY_MS : undefined)
      return { warmMs: min(ordered.map((p) => p.spec.warm.days)), coldMs: min(ordered.map((p) => p.spec.cold.days)) }
    },
  }
}
export type RetentionResolver = ReturnType<typeof createRetentionResolver>
