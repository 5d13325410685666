// Price-table math: what a call cost from its usage, and what it would cost from an estimate. Pure.
import type { ModelPrice } from './routing-policy.ts'

/** Token counts as vendors bill them: cached input is not part of `inputTokens`. */
export interface BilledTokens {
  inputTokens: number
  outputTokens: number
  cachedTokens: number
}

const PER_MILLION = 1_000_000
// Postgres stores cost as numeric(14, 8): rounding here keeps float noise out of sums and records.
const round8 = (usd: number) => Math.round(usd * 1e8) / 1e8

/** Cost in USD: each token class at its price per million; cache reads default to the input price. */
export function costUsd(price: ModelPrice, usage: BilledTokens): number {
  const cached = price.cached ?? price.input
  return round8((usage.inputTokens * price.input + usage.cachedTokens * cached + usage.outputTokens * price.output) / PER_MILLION)
}

// About four characters a token across the vendors' tokenizers: close enough to reserve rate and budget.
const CHARS_PER_TOKEN = 4

/** Tokens a call is expected to use, before it runs. */
export function estimateTokens(inputChars: number, outputTokens: number): BilledTokens {
  return { inputTokens: Math.ceil(inputChars / CHARS_PER_TOKEN), outputTokens, cachedTokens: 0 }
}

export const totalTokens = (t: BilledTokens) => t.inputTokens + t.outputTokens + t.cachedTokens
