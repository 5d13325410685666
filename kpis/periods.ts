// Period buckets in UTC: the start of the hour, day, ISO week (Monday) or month a moment falls in.

export const PERIODS = ['hour', 'day', 'week', 'month'] as const
export type Period = (typeof PERIODS)[number]

export function periodStart(at: number, period: Period): number {
  const d = new Date(at)
  switch (period) {
    case 'hour': return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours())
    case 'day': return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
    case 'week': return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7))
    case 'month': return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
  }
}
