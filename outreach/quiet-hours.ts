// Quiet hours in the customer's time zone: whether a moment falls inside them and when they end. A message
// due inside them is deferred to their end, never dropped. Pure: the moment is the caller's.

const DAY_MINUTES = 24 * 60
const MINUTE_MS = 60_000

export interface QuietHours {
  /** HH:MM */
  start: string
  end: string
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    formatters.set(timeZone, f)
  }
  return f
}

/** The wall-clock minute of the day (0–1439) at `atMs` in the zone. */
export function localMinute(timeZone: string, atMs: number): number {
  const text = formatter(timeZone).format(atMs)
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5))
}

/**
 * When a message due at `atMs` may go out: `atMs` itself outside quiet hours, else the (UTC) moment they end
 * in the customer's zone. `minute` is the local minute at `atMs` (callers cache it per zone).
 */
export function releaseAt(quiet: QuietHours, minute: number, atMs: number): number {
  const start = minutesOf(quiet.start)
  const end = minutesOf(quiet.end)
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end
  if (!inside) return atMs
  const wait = (end - minute + DAY_MINUTES) % DAY_MINUTES
  return atMs - (atMs % MINUTE_MS) + wait * MINUTE_MS
}
