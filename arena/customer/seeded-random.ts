// A small seeded generator (mulberry32): the same seed gives the same customer, so a trial can be replayed.

export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number
  /** True with probability p. */
  chance(p: number): boolean
  pick<T>(options: readonly T[]): T
}

export function seededRandom(seed: number): SeededRandom {
  let state = (seed >>> 0) ^ 0x9e3779b9
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    chance: (p) => next() < p,
    pick: (options) => options[Math.floor(next() * options.length)]!,
  }
}
