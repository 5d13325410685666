// KPIs of a set of conversations, overall and broken down by any of intent, maturity level (mode), agent and
// channel, and by period, with the trend between the last two periods: from facts in one pass, or from totals
// storage summed.
import { costOf } from './cost.ts'
import type { ConversationFacts } from '../lib/conversation-facts.ts'
import { judgeConversation } from './outcome.ts'
import { periodStart, type Period } from './periods.ts'
import { KpiAccumulator, reportOf, type KpiReport } from './report.ts'
import type { AggregatedBreakdown, Dimension, GroupKey, KpiAggregate } from '../lib/kpi-totals.ts'
import type { KpiSettings } from '../lib/kpi-settings.ts'

export { DIMENSIONS, type Dimension } from '../lib/kpi-totals.ts'

export interface BreakdownOptions {
  groupBy?: Dimension[]
  period?: Period
}

export interface KpiGroup {
  key: GroupKey
  kpis: KpiReport
}

export interface KpiTrend {
  /** The last period minus the one before it, for the headline rates; null where either is unknown. */
  resolutionRate: number | null
  csat: number | null
  costPerConversationUsd: number | null
  escalationRate: number | null
}

export interface KpiBreakdown {
  total: KpiReport
  groups: KpiGroup[]
  /** Per period totals, oldest first, and the trend between the last two; only when a period was asked for. */
  series?: Array<{ period: string; kpis: KpiReport }>
  trend?: KpiTrend
}

const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b)

function trendOf(series: Array<{ kpis: KpiReport }>): KpiTrend {
  const last = series.at(-1)?.kpis
  const prev = series.at(-2)?.kpis
  if (!last || !prev) return { resolutionRate: null, csat: null, costPerConversationUsd: null, escalationRate: null }
  return {
    resolutionRate: delta(last.resolutionRate, prev.resolutionRate), csat: delta(last.csat.average, prev.csat.average),
    costPerConversationUsd: delta(last.cost.perConversationUsd, prev.cost.perConversationUsd),
    escalationRate: delta(last.escalationRate, prev.escalationRate),
  }
}

export function computeKpis(conversations: Iterable<ConversationFacts>, now: number, settings: KpiSettings, options: BreakdownOptions = {}): KpiBreakdown {
  const dims = options.groupBy ?? []
  const total = new KpiAccumulator()
  const groups = new Map<string, { key: KpiGroup['key']; acc: KpiAccumulator }>()
  const periods = new Map<number, KpiAccumulator>()
  const grouped = dims.length > 0 || options.period !== undefined
  for (const f of conversations) {
    const o = judgeConversation(f, now, settings)
    const c = costOf(f, settings.cost)
    total.add(f, o, c)
    if (!grouped) continue
    const start = options.period ? periodStart(f.createdAt, options.period) : undefined
    if (start !== undefined) {
      let p = periods.get(start)
      if (!p) periods.set(start, (p = new KpiAccumulator()))
      p.add(f, o, c)
    }
    const key: KpiGroup['key'] = Object.fromEntries(dims.map((d) => [d, f[d]]))
    if (start !== undefined) key.period = new Date(start).toISOString()
    const id = JSON.stringify(key)
    let g = groups.get(id)
    if (!g) groups.set(id, (g = { key, acc: new KpiAccumulator() }))
    g.acc.add(f, o, c)
  }
  return breakdownOf({
    total: total.aggregate(),
    groups: [...groups.values()].map((g) => ({ key: g.key, aggregate: g.acc.aggregate() })),
    series: options.period ? [...periods.entries()].map(([start, acc]) => ({ period: new Date(start).toISOString(), aggregate: acc.aggregate() })) : undefined,
  }, settings.minutesPerReply)
}

/** The figures of an aggregated breakdown: groups in key order, the series oldest first, and its trend. */
export function breakdownOf(a: AggregatedBreakdown, minutesPerReply: number): KpiBreakdown {
  const report = (x: KpiAggregate) => reportOf(x, minutesPerReply)
  const out: KpiBreakdown = {
    total: report(a.total),
    groups: a.groups.map((g) => ({ key: g.key, kpis: report(g.aggregate) }))
      .sort((x, y) => JSON.stringify(x.key).localeCompare(JSON.stringify(y.key))),
  }
  if (a.series) {
    out.series = [...a.series].sort((x, y) => x.period.localeCompare(y.period)).map((s) => ({ period: s.period, kpis: report(s.aggregate) }))
    out.trend = trendOf(out.series)
  }
  return out
}
