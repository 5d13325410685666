// What a reply may rely on, indexed once per turn: the tool results and retrieved passages (as lower-case
// text, amounts in cents, order statuses, dates) and the customer's own words. Pure.
import { centsOf, monthNumber } from './claims.ts'

/** The turn's context for grounding. */
export interface GroundingContext {
  /** Tool results still in the conversation's context, as JSON text (or plain text). */
  toolResults: readonly string[]
  /** Retrieved knowledge passages and the agent's standing policy text. */
  passages?: readonly string[]
  /** The customer's messages: they ground what the customer said (ids, dates, a budget), never amounts, statuses or offers. */
  customerMessages?: readonly string[]
  /** The agent's earlier replies in this conversation that passed this check (a total stated before, say). */
  earlierReplies?: readonly string[]
}

export interface GroundingIndex {
  text: string
  customerText: string
  /** Every amount in cents, grouped by the tool result or passage it came from. */
  amountGroups: number[][]
  amounts: Set<number>
  orderStatuses: Map<string, string[]>
  statuses: Set<string>
  /** `month-day` of every date. */
  dates: Set<string>
}

const MONEY_KEY = /price|amount|balance|total|cost|refund|difference|fee|paid|credit/i
const TEXT_MONEY = /\$\s?\d{1,3}(?:,\d{3})*(?:\.\d{1,2})?|\$\s?\d+(?:\.\d{1,2})?|\b\d+\.\d{2}\b/g
const RANGE = /(\d+)\s*(?:-|–)\s*(\d+)(?=[ -](?:business |working |calendar )?(?:days?|weeks?|hours?|months?)\b)/g
const ISO_DATE = /\b\d{4}-(\d{2})-(\d{2})/g
const TEXT_DATE = /\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.? (\d{1,2})\b/gi

interface Walked {
  amounts: number[]
  statuses: Array<[string | undefined, string]>
}

function walk(value: unknown, key: string, out: Walked): void {
  if (typeof value === 'number') {
    if (MONEY_KEY.test(key) || !Number.isInteger(value)) out.amounts.push(Math.round(value * 100))
  } else if (Array.isArray(value)) {
    for (const v of value) walk(v, key, out)
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>
    if (typeof record.status === 'string') out.statuses.push([typeof record.order_id === 'string' ? record.order_id : undefined, record.status.toLowerCase()])
    for (const [k, v] of Object.entries(record)) walk(v, k, out)
  }
}

function parseJson(text: string): unknown {
  const trimmed = text.trim()
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined
  try {
    return JSON.parse(trimmed)
  } catch {
    return undefined
  }
}

function textAmounts(text: string): number[] {
  return [...text.matchAll(TEXT_MONEY)].map((m) => Number(centsOf(m[0])))
}

function collectDates(text: string, dates: Set<string>): void {
  for (const m of text.matchAll(ISO_DATE)) dates.add(`${Number(m[1])}-${Number(m[2])}`)
  for (const m of text.matchAll(TEXT_DATE)) dates.add(`${monthNumber(m[1] ?? '')}-${Number(m[2])}`)
}

/** Builds the index once per turn; `checkGrounding` accepts either this or the raw context. */
export function indexContext(context: GroundingContext): GroundingIndex {
  const sources = [...context.toolResults, ...(context.passages ?? []), ...(context.earlierReplies ?? [])]
  const index: GroundingIndex = {
    text: normaliseContextText(sources.join('\n')), customerText: (context.customerMessages ?? []).join('\n').toLowerCase(),
    amountGroups: [], amounts: new Set(), orderStatuses: new Map(), statuses: new Set(), dates: new Set(),
  }
  for (const source of sources) {
    const walked: Walked = { amounts: [], statuses: [] }
    const json = parseJson(source)
    if (json === undefined) walked.amounts.push(...textAmounts(source))
    else walk(json, '', walked)
    const group = [...new Set(walked.amounts)]
    index.amountGroups.push(group)
    for (const a of group) index.amounts.add(a)
    for (const [orderId, status] of walked.statuses) {
      index.statuses.add(status)
      // The latest tool result says what the order's status is now; earlier ones said what it was.
      if (orderId) index.orderStatuses.set(orderId.toUpperCase(), [status])
    }
    collectDates(source, index.dates)
  }
  collectDates(index.customerText, index.dates)
  return index
}

/** Lower-case, ranges written one way ("5-7 days" → "5 to 7 days"), JSON spacing evened out. */
export function normaliseContextText(text: string): string {
  return text.toLowerCase().replace(RANGE, '$1 to $2').replace(/"\s*:\s*/g, '": ')
}
