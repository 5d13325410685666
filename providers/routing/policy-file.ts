// Hot reload of a policy file: polls its mtime, re-parses on change, and keeps the last good policy when a
// new version is invalid (logging every problem). Polling, not fs.watch: Kubernetes swaps ConfigMap files
// through symlinks, which inotify watches on the old target miss.
import { readFileSync, statSync } from 'node:fs'
import type { Logger } from '../../lib/log.ts'

export interface PolicyFileOptions<P> {
  path: string
  /** Text to policy; throws (e.g. `config.invalid` naming each bad path) when the text is not a valid policy. */
  parse: (text: string, source: string) => P
  log: Logger
  /** @defaultValue 1000 */
  pollMs?: number
}

export interface PolicyFile<P> {
  /** The policy in force: the last version that parsed. */
  readonly current: () => P
  /** Re-reads now if the file changed; returns true when a new policy took effect. */
  check(): boolean
  close(): void
}

/**
 * Loads the file once (throwing if the first version is invalid: a process must not start without a
 * policy), then reloads it when its mtime or size changes.
 * @example
 * const file = watchPolicyFile({ path: config.routing.policyPath, parse: loadRoutingPolicy, log })
 * const gateway = createRoutingGateway({ policy: file.current, providers, state })
 */
export function watchPolicyFile<P extends { version: string }>(options: PolicyFileOptions<P>): PolicyFile<P> {
  const { path, log } = options
  let stamp = fingerprint(path)
  let policy = options.parse(readFileSync(path, 'utf8'), path)
  log.info('routing policy loaded', { path, version: policy.version })
  const check = (): boolean => {
    const now = fingerprint(path)
    if (now === stamp) return false
    stamp = now
    try {
      const next = options.parse(readFileSync(path, 'utf8'), path)
      log.info('routing policy reloaded', { path, from: policy.version, to: next.version })
      policy = next
      return true
    } catch (e) {
      log.error('routing policy rejected; keeping the last good version', { path, version: policy.version, error: e })
      return false
    }
  }
  const timer = setInterval(check, options.pollMs ?? 1000)
  timer.unref()
  return { current: () => policy, check, close: () => clearInterval(timer) }
}

// A missing file (mid-swap) reads as a change to nothing; the next poll sees the new file.
function fingerprint(path: string): string {
  try {
    const s = statSync(path)
    return `${s.mtimeMs}:${s.size}:${s.ino}`
  } catch {
    return 'missing'
  }
}
