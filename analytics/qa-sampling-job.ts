// The daily QA sample job: for each tenant, yesterday's AI-handled conversations, stratified and over-sampled by
// kpis/, recorded once per tenant and day however many workers run the timer (storage's run row decides).
import { DEFAULT_QA_SAMPLING, sampleForQa, type QaSamplingOptions } from '../kpis/index.ts'
import type { Clock } from '../lib/clock.ts'
import type { Logger } from '../lib/log.ts'
import type { Storage } from '../storage/index.ts'

export interface QaSamplingDeps {
  storage: Pick<Storage, 'qaSamples'> & { tenants: Pick<Storage['tenants'], 'list'> }
  clock: Clock
  log: Logger
  /** @defaultValue DEFAULT_QA_SAMPLING */
  options?: QaSamplingOptions
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** Samples one tenant's `day` (YYYY-MM-DD, UTC); returns how many it sampled, or null when the day already had its run. */
export async function sampleDay(deps: QaSamplingDeps, tenantId: string, day: string): Promise<number | null> {
  const candidates = await deps.storage.qaSamples.candidates(tenantId, day)
  const samples = sampleForQa(candidates, `${tenantId}/${day}`, deps.options ?? DEFAULT_QA_SAMPLING)
  return (await deps.storage.qaSamples.record(tenantId, day, samples)) ? samples.length : null
}

/** Every `intervalMs`, samples yesterday for each tenant that has no sample for it yet. */
export function startQaSamplingTimer(deps: QaSamplingDeps & { intervalMs: number }): { close(): Promise<void> } {
  let running: Promise<void> | undefined
  const tick = async () => {
    const day = dayOf(deps.clock.now() - 86_400_000)
    for (const t of await deps.storage.tenants.list()) {
      if (await deps.storage.qaSamples.hasRun(t.id, day)) continue
      const n = await sampleDay(deps, t.id, day)
      if (n !== null) deps.log.info('QA sample drawn', { tenantId: t.id, day, conversations: n })
    }
  }
  const timer = deps.intervalMs > 0 ? setInterval(() => {
    running ??= tick().catch((error) => deps.log.warn('QA sampling failed', { error: String(error) })).finally(() => { running = undefined })
  }, deps.intervalMs) : undefined
  return { async close() { clearInterval(timer); await running } }
}
