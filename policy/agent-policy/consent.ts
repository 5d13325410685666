// What a customer's message says to a pending request for confirmation, and the key that ties a confirmation to
// exactly one action (a tool and its arguments). Only an explicit yes confirms; anything else does not. Pure.

export type Answer = 'yes' | 'no' | 'other'

const YES = /^(?:yes|yeah|yep|yup|sure|ok(?:ay)?|confirm(?:ed)?|correct|right|go ahead|proceed|do it|please do|that'?s (?:right|correct)|i confirm|absolutely|definitely|yes please)\b/
const NO = /\b(?:no|nope|not|don'?t|do not|stop|wait|cancel that|never ?mind|hold on|change|instead|wrong|but)\b/

/**
 * An explicit yes is short, starts with an affirmation and carries no negation or change ("yes, but use my
 * other card" is not a yes to what was shown). A no is a message that starts with one.
 */
export function answerOf(text: string): Answer {
  const t = text.trim().toLowerCase().replace(/[!.,]+$/g, '')
  if (/^(?:no|nope|don'?t|do not|stop|cancel|never ?mind)\b/.test(t)) return 'no'
  if (!YES.test(t)) return 'other'
  const rest = t.replace(YES, '')
  return t.split(/\s+/).length <= 12 && !NO.test(rest) ? 'yes' : 'other'
}

/** JSON with sorted keys: equal arguments give equal keys whatever their order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (typeof value !== 'object' || value === null) return JSON.stringify(value)
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`
}

/** The identity of an action: its tool and its exact arguments. */
export const actionKey = (tool: string, args: Record<string, unknown>): string => `${tool}${canonical(args)}`

function scalars(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(scalars)
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(scalars)
  if (typeof value === 'number') return [String(value)]
  return typeof value === 'string' && value.trim() !== '' ? [value.trim()] : []
}

const normalise = (text: string) => text.toLowerCase().replace(/\s+/g, ' ')

/** Whether the text shown to the customer names every value of the action's arguments. */
export function detailsShown(shown: string, args: Record<string, unknown>): boolean {
  const text = normalise(shown)
  return scalars(args).every((v) => text.includes(normalise(v)))
}
