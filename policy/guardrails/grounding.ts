// Factual grounding: every claim in a reply must be supported by this turn's context (tool results,
// retrieved passages; the customer's own words for what the customer said). Unsupported claims make the
// reply regenerate once with the reasons, then escalate. Pure.
import { assertNever } from '../../lib/errors.ts'
import type { CheckResult } from '../../lib/guardrail-check.ts'
import { extractClaims, TIMING_TOPIC, type Claim } from './claims.ts'
import { indexContext, type GroundingContext, type GroundingIndex } from './grounding-context.ts'

export interface UnsupportedClaim extends Claim {
  reason: string
}

export interface GroundingResult extends CheckResult {
  check: 'grounding'
  /** `score`: the share of claims that are unsupported (0 when there are none). */
  claims: number
  /** Share of claims supported, 1 for a reply that claims nothing. */
  coverage: number
  unsupported: UnsupportedClaim[]
}

/** What claims are checked against: the context, its index, or what builds the index (a reply that claims nothing needs none). */
export type GroundingSource = GroundingContext | GroundingIndex | (() => GroundingIndex)

export interface GroundingOptions {
  /** How many times this turn's reply was already regenerated for grounding. @defaultValue 0 */
  attempt?: number
}

// Subset sums are tried only for groups this small (2^12 sums); larger groups fall back to pairs.
const MAX_SUBSET_GROUP = 12

function subsetSums(group: number[]): Set<number> {
  const sums = new Set<number>([0])
  for (const a of group) for (const s of [...sums]) sums.add(s + a)
  return sums
}

// Subset sums per index, computed on the first amount that needs them (a memo: same input, same output).
const subsetSumsOf = new WeakMap<GroundingIndex, Set<number>[]>()

/** An amount is supported as written, as a sum or difference of two, or as a sum of one source's amounts. */
function amountSupported(cents: number, index: GroundingIndex): boolean {
  const near = (set: Set<number>, c = cents) => set.has(c) || set.has(c - 1) || set.has(c + 1)
  if (near(index.amounts)) return true
  for (const a of index.amounts) if (near(index.amounts, a - cents) || near(index.amounts, cents - a)) return true
  let sums = subsetSumsOf.get(index)
  if (!sums) {
    sums = index.amountGroups.filter((g) => g.length <= MAX_SUBSET_GROUP).map(subsetSums)
    subsetSumsOf.set(index, sums)
  }
  return sums.some((set) => near(set))
}

function statusSupported(claim: Claim, index: GroundingIndex): boolean {
  const want = claim.value.replace('canceled', 'cancelled').replace('items modified', 'item modified')
  const same = (s: string) => s === want || s.startsWith(`${want} `) || want.startsWith(`${s} `)
  const ofOrder = claim.orderId ? index.orderStatuses.get(claim.orderId) : undefined
  if (ofOrder) return ofOrder.some(same)
  return [...index.statuses].some(same) || index.text.includes(want)
}

const inText = (index: GroundingIndex, value: string) => index.text.includes(value)
const saidByCustomer = (index: GroundingIndex, value: string) => index.customerText.includes(value.toLowerCase())

/** Why a claim is unsupported, or `undefined` when the context supports it. */
function unsupportedReason(claim: Claim, index: GroundingIndex): string | undefined {
  switch (claim.kind) {
    case 'money': return amountSupported(Number(claim.value), index) || (claim.bound && saidByCustomer(index, claim.text.replace(/[^\d.]/g, '')))
      ? undefined : `the amount ${claim.text} is in no tool result or passage`
    case 'percent': return inText(index, claim.value) || inText(index, claim.value.replace('%', ' percent')) ? undefined : `${claim.text} is in no tool result or passage`
    case 'date': return index.dates.has(claim.value) || saidByCustomer(index, claim.text) ? undefined : `the date ${claim.text} is in no tool result or passage`
    case 'relative_date': return inText(index, claim.value) ? undefined : `"${claim.text}" promises a date nothing in the context gives`
    case 'duration': return (claim.timing ? timingSupported(claim.value, index) : inText(index, claim.value)) ? undefined : `"${claim.text}" is no timing the policy or a tool result states`
    case 'order_id': return inText(index, claim.value.toLowerCase()) || saidByCustomer(index, claim.value.slice(1)) ? undefined : `order ${claim.value} is not in the context`
    case 'identifier': return inText(index, claim.value) || saidByCustomer(index, claim.value) ? undefined : `the number ${claim.text} is in no tool result or passage`
    case 'status': return statusSupported(claim, index) ? undefined : `the status "${claim.value}"${claim.orderId ? ` of ${claim.orderId}` : ''} is not what the tool results say`
    case 'availability': return availabilitySupported(claim.value, index) ? undefined : `"${claim.text}" is not what the product data says`
    case 'offer': return inText(index, claim.value.replace(/(?:ed|s)$/, '')) ? undefined : `the offer "${claim.text}" is in no tool result or passage`
    default: return assertNever(claim.kind)
  }
}

/**
 * A timing is supported where the context states it about a process too (not "24 hour based" clocks), or
 * where it is a product's value in a tool result (a speaker's "10 hours").
 */
function timingSupported(value: string, index: GroundingIndex): boolean {
  if (inText(index, `": "${value}`)) return true
  for (let at = index.text.indexOf(value); at >= 0; at = index.text.indexOf(value, at + 1)) {
    if (TIMING_TOPIC.test(index.text.slice(Math.max(0, at - 80), at + value.length + 80))) return true
  }
  return false
}

function availabilitySupported(value: string, index: GroundingIndex): boolean {
  return value === 'available'
    ? inText(index, '"available": true') || inText(index, 'in stock')
    : inText(index, '"available": false') || inText(index, 'out of stock') || inText(index, 'unavailable')
}

// A total of amounts the same reply already grounded ("$42.05 and $0.50, $42.55 in all"); at most 2^8 sums.
function isTotalOf(cents: number, amounts: number[]): boolean {
  const sums = subsetSums(amounts.slice(0, 8))
  return sums.has(cents) || sums.has(cents - 1) || sums.has(cents + 1)
}

// A quotation the reply attributes to the customer ('You also asked: "is the refund within 3 days?"').
const CUSTOMER_QUOTE = /\byou (?:also )?(?:asked|said|wrote|mentioned)(?: me)?:? ["“]([^"”]+)["”]/gi
const evenly = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim()

/**
 * The reply without the quotations of the customer's own words: what the customer wrote is no claim of the
 * agent's. A quotation the customer never wrote stays, so an invention put in quotes is still judged.
 */
function withoutCustomerQuotes(reply: string, index: GroundingIndex): string {
  const said = evenly(index.customerText)
  return reply.replace(CUSTOMER_QUOTE, (whole, quoted: string) => (said.includes(evenly(quoted)) ? whole.slice(0, whole.length - quoted.length - 2) : whole))
}

/**
 * Checks a reply against the turn's context. Unsupported claims answer `regenerate` (pass `reason` to the
 * model) on the first attempt and `escalate` after that: the reply is withheld and a human takes over.
 * @example checkGrounding('We gave you a 20% discount.', { toolResults: ['{"status": "pending"}'] }).verdict // 'regenerate'
 */
export function checkGrounding(reply: string, context: GroundingSource, options: GroundingOptions = {}): GroundingResult {
  const found = extractClaims(reply)
  // Indexing the context costs more than extracting claims, and most replies claim nothing.
  const index = found.length === 0 ? undefined : typeof context === 'function' ? context() : 'amountGroups' in context ? context : indexContext(context)
  const own = index ? withoutCustomerQuotes(reply, index) : reply
  const claims = own === reply ? found : extractClaims(own)
  const judged = claims.map((c) => ({ claim: c, reason: unsupportedReason(c, index!) }))
  const supportedAmounts = judged.filter((j) => j.claim.kind === 'money' && !j.reason).map((j) => Number(j.claim.value))
  const unsupported = judged.flatMap(({ claim, reason }) => {
    if (!reason || (claim.kind === 'money' && isTotalOf(Number(claim.value), supportedAmounts))) return []
    return [{ ...claim, reason }]
  })
  const coverage = claims.length === 0 ? 1 : 1 - unsupported.length / claims.length
  const base = { check: 'grounding' as const, score: 1 - coverage, claims: claims.length, coverage, unsupported }
  if (unsupported.length === 0) return { ...base, verdict: 'allow', reason: `${claims.length} claims, all supported` }
  const reason = `unsupported: ${unsupported.map((u) => u.reason).join('; ')}`
  return { ...base, verdict: (options.attempt ?? 0) === 0 ? 'regenerate' : 'escalate', reason }
}
