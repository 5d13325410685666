// Systemic issues: a cluster of conversations (an intent, a failing tool, a complaint term) whose count in the latest
// window stands far above its own recent baseline. Pure: storage counts, this decides, and reconciles the decision
// with the alerts already firing so each issue alerts once and resolves when its spike ends.

export type ClusterKind = 'intent' | 'tool_error' | 'complaint'

export interface ClusterCounts {
  kind: ClusterKind
  /** What the cluster is: the intent, the tool, the term. */
  value: string
  /** Count in the latest window. */
  current: number
  /** Counts in the windows before it, most recent first (zeros included). */
  baseline: number[]
  /** A few conversations of the latest window, for whoever looks. */
  examples: string[]
}

export interface SpikeOptions {
  /** Fewer than this in the window is never a spike. @defaultValue 5 */
  minCount: number
  /** The window must hold at least this many times the baseline mean (a mean under 1 counts as 1). @defaultValue 3 */
  factor: number
  /** …and stand this many standard deviations above it. @defaultValue 3 */
  zScore: number
}

export const DEFAULT_SPIKE_OPTIONS: SpikeOptions = Object.freeze({ minCount: 5, factor: 3, zScore: 3 })

export interface Spike extends ClusterCounts {
  key: string
  baselineMean: number
}

export const clusterKey = (c: Pick<ClusterCounts, 'kind' | 'value'>) => `${c.kind}:${c.value}`

export function detectSpikes(clusters: readonly ClusterCounts[], o: SpikeOptions = DEFAULT_SPIKE_OPTIONS): Spike[] {
  const out: Spike[] = []
  for (const c of clusters) {
    const n = c.baseline.length
    const mean = n === 0 ? 0 : c.baseline.reduce((a, b) => a + b, 0) / n
    const sd = n === 0 ? 0 : Math.sqrt(c.baseline.reduce((a, b) => a + (b - mean) ** 2, 0) / n)
    if (c.current >= o.minCount && c.current >= o.factor * Math.max(mean, 1) && c.current > mean + o.zScore * sd) {
      out.push({ ...c, key: clusterKey(c), baselineMean: mean })
    }
  }
  return out.sort((a, b) => a.key.localeCompare(b.key))
}

export interface AlertChanges {
  /** Spikes with no alert firing yet: open one. */
  open: Spike[]
  /** Spikes whose alert is firing already: refresh its figures, alert nobody again. */
  ongoing: Spike[]
  /** Keys of firing alerts whose spike ended: resolve them. */
  resolve: string[]
}

export function reconcileAlerts(firing: ReadonlySet<string>, spikes: readonly Spike[]): AlertChanges {
  const now = new Set(spikes.map((s) => s.key))
  return {
    open: spikes.filter((s) => !firing.has(s.key)),
    ongoing: spikes.filter((s) => firing.has(s.key)),
    resolve: [...firing].filter((k) => !now.has(k)).sort(),
  }
}
