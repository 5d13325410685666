// Retention policies as the retention job and the sessions apply them: the RetentionPolicy resources in force
// (validated by resources/ when they were applied, read from the versioned store). Resolution is pure: the most
// specific policy (tenant, then agent) wins; the set is replaced when the store's changes.
import type { Logger } from '../../lib/log.ts'
import type { Resources } from '../postgres/resources.ts'

/** A RetentionPolicy document (the shape resources/retention-policy.ts validates). */
export interface RetentionPolicy {
  metadata: { name: string }
  spec: {
    version: number
    /** A tenant id, or '*' for every tenant. */
    tenant: string
    /** An agent name, or '*' for every agent. */
    agent: string
    hot: { ttlSeconds: number }
    warm: { days?: number }
    cold: { days?: number }
  }
}

/** What applies to one tenant's agent, and which policy version said so. */
export interface ResolvedRetention {
  policy: string
  hotTtlMs: number
  warmMs?: number
  coldMs?: number
}

const DAY_MS = 86_400_000

/** Resolution over a policy set; `fallbackHotTtlMs` applies (and nothing expires) where no policy matches. */
export function createRetentionResolver(policies: RetentionPolicy[], fallbackHotTtlMs: number) {
  const specificity = (p: RetentionPolicy) => (p.spec.tenant === '*' ? 0 : 2) + (p.spec.agent === '*' ? 0 : 1)
  // Equally specific policies (only a race between two writers makes them) are settled by name, never by chance.
  const order = (set: RetentionPolicy[]) => [...set].sort((a, b) => specificity(b) - specificity(a) || a.metadata.name.localeCompare(b.metadata.name))
  let ordered = order(policies)
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
    /** The policies in force from now on. */
    replace(next: RetentionPolicy[]): void {
      ordered = order(next)
      cache.clear()
    },
    /** `name@version` of each policy in force. */
    inForce: (): string[] => ordered.map((p) => `${p.metadata.name}@${p.spec.version}`).sort(),
  }
}
export type RetentionResolver = ReturnType<typeof createRetentionResolver>

export interface RetentionSource {
  /** Reads the store now; resolves once the set in force is the store's. */
  refresh(): Promise<void>
  close(): void
}

/**
 * Keeps `resolver` on the RetentionPolicy resources in force for every tenant, read again every `refreshMs`
 * (as agents and their policies are): an applied, changed or deleted policy reaches every process without a restart.
 */
export async function watchRetentionPolicies(o: { resources: Pick<Resources, 'inForce'>; resolver: RetentionResolver; refreshMs: number; log: Logger }): Promise<RetentionSource> {
  let seen = ''
  const refresh = async () => {
    const rows = await o.resources.inForce('RetentionPolicy')
    const policies = rows.map((r) => ({ metadata: { name: r.name }, spec: r.spec as unknown as RetentionPolicy['spec'] }))
    const stamp = rows.map((r) => `${r.tenantId}/${r.name}@${r.version}`).join(',')
    if (stamp === seen) return
    o.resolver.replace(policies)
    if (seen !== '' || stamp !== '') o.log.info('retention policies in force', { policies: o.resolver.inForce() })
    seen = stamp
  }
  await refresh()
  const timer = setInterval(() => void refresh().catch((error: Error) => o.log.warn('retention policies not refreshed; the set in force stays', { error })), o.refreshMs)
  timer.unref()
  return { refresh, close: () => clearInterval(timer) }
}
