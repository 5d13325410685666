// Hot reload of a named set of policies (the RoutingPolicy resources in force): polls a source, compiles each
// new version once, keeps the last good version of a name when a new one is refused (logging every problem and
// telling the caller what it refuses, so the resource can show it), and drops a name the source no longer has.
// The source is the versioned store, where the API, the CLI, RESOURCES_DIR / ROUTING_POLICY files and the
// Kubernetes controller all write: a change reaches every process.
import type { Logger } from '../../lib/log.ts'
import type { RoutingRejection } from '../../lib/routing-rejection.ts'

/** One policy document as the source holds it; `revision` changes whenever its spec does (the store's version). */
export interface PolicySource {
  name: string
  revision: number
  spec: unknown
}

export interface PolicySetOptions<P> {
  read(): Promise<PolicySource[]>
  /** Spec to policy; throws (`config.invalid` naming what is wrong) when this process cannot use it. */
  compile(name: string, spec: unknown): P
  log: Logger
  /** After a refresh that changed the set: the names now in force. */
  onChange?(names: string[]): void
  /** After every refresh: the versions in the source this process refuses (empty when none). */
  onRejections?(rejections: RoutingRejection[]): void
  /** @defaultValue 1000 */
  pollMs?: number
}

export interface PolicySet<P> {
  /** The version in force of one policy: the last that compiled, undefined when the source has none. */
  current(name: string): P | undefined
  names(): string[]
  /** Reads the source now; returns true when a policy took effect, changed or went. */
  refresh(): Promise<boolean>
  close(): void
}

/**
 * Reads the source once (a source that cannot be read fails the start: the store is the process's own), then
 * polls it.
 * @example
 * const set = await watchPolicySet({ read, compile: (name, spec) => compileRoutingPolicy(doc(name, spec)), log })
 * const gateway = createRoutingGateway({ policy: () => set.current('retail-default')!, providers, state })
 */
export async function watchPolicySet<P extends { version: string }>(options: PolicySetOptions<P>): Promise<PolicySet<P>> {
  const { log } = options
  const inForce = new Map<string, { revision: number; policy: P }>()
  // A refused revision is logged once, not on every poll.
  const refused = new Map<string, RoutingRejection>()
  const refresh = async (): Promise<boolean> => {
    const docs = await options.read()
    let changed = false
    for (const doc of docs) {
      const known = inForce.get(doc.name)
      if (known?.revision === doc.revision || refused.get(doc.name)?.revision === doc.revision) continue
      try {
        const policy = options.compile(doc.name, doc.spec)
        log.info('routing policy in force', { name: doc.name, from: known?.policy.version, to: policy.version })
        inForce.set(doc.name, { revision: doc.revision, policy })
        refused.delete(doc.name)
        changed = true
      } catch (error) {
        refused.set(doc.name, { name: doc.name, revision: doc.revision, message: error instanceof Error ? error.message : String(error), ...(known ? { keeps: known.revision } : {}) })
        log.error(known ? 'routing policy rejected; keeping the last good version' : 'routing policy rejected', { name: doc.name, version: known?.policy.version, error })
      }
    }
    const present = new Set(docs.map((d) => d.name))
    for (const name of [...refused.keys()]) if (!present.has(name)) refused.delete(name)
    for (const name of [...inForce.keys()]) {
      if (present.has(name)) continue
      inForce.delete(name)
      log.info('routing policy withdrawn', { name })
      changed = true
    }
    if (changed) options.onChange?.([...inForce.keys()].sort())
    options.onRejections?.([...refused.values()])
    return changed
  }
  await refresh()
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    refresh().catch((error: Error) => log.warn('routing policies not refreshed; the versions in force stay', { error }))
      .finally(() => void (running = false))
  }, options.pollMs ?? 1000)
  timer.unref()
  return {
    current: (name) => inForce.get(name)?.policy,
    names: () => [...inForce.keys()].sort(),
    refresh,
    close: () => clearInterval(timer),
  }
}
