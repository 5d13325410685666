// Time as an injectable seam, so timers (escalation, outreach, budgets) can be skipped ahead in tests.

export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }
