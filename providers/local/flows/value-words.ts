// Other words customers use for an option value of the catalogue: "medium sized" for size "M", "two-piece"
// for "2-piece", "soft" for "softshell" beside "hardshell".
import { escape } from './items.ts'

const letterSizes: Record<string, string> = { xs: 'extra small', s: 'small', m: 'medium', l: 'large', xl: 'extra large', xxl: 'extra extra large' }
const numberWords = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten']

/** A one-letter size ("M"): "size M", "medium sized", "medium size", "size medium". */
export function letterSizePattern(val: string): string {
  const word = letterSizes[val]
  return word ? `\\b(?:size (?:${escape(val)}|${word})|${word} sized?)\\b` : `\\bsize ${escape(val)}\\b`
}

/** "2 piece" also as "two piece" (squashed text); other values unchanged. */
export function withNumberWord(pattern: string, val: string): string {
  const n = /^(\d+) /.exec(val)
  const word = n ? numberWords[Number(n[1])] : undefined
  return word ? pattern.replace(new RegExp(`^${escape(n![1]!)}`), `(?:${n![1]}|${word})`) : pattern
}

/**
 * "soft" for "softshell" when a sibling value ("hardshell") shares the ending: the part that tells them apart
 * names the value ("soft material", "a soft one").
 */
export function distinguishingPart(val: string, siblings: string[]): string | undefined {
  if (val.includes(' ')) return undefined
  for (const s of siblings) {
    for (let cut = 3; cut <= val.length - 4; cut++) {
      const ending = val.slice(cut)
      if (s !== val && !s.includes(' ') && s.endsWith(ending) && s.length > ending.length + 2) return val.slice(0, cut)
    }
  }
  return undefined
}
