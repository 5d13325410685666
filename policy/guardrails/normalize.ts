// Views of a text for pattern matching that see through obfuscation: Unicode compatibility forms,
// invisible characters, look-alike letters from other scripts, leetspeak, letter spacing, base64 and
// rot13. Pure string work; nothing here decides anything.

// Cyrillic and Greek letters that render like Latin ones (the usual homoglyph substitutions).
const homoglyphs: Record<string, string> = {
  а: 'a', в: 'b', с: 'c', ԁ: 'd', е: 'e', һ: 'h', і: 'i', ј: 'j', к: 'k', ӏ: 'l', м: 'm', н: 'h', о: 'o', р: 'p',
  ԛ: 'q', ѕ: 's', т: 't', у: 'y', х: 'x', ѵ: 'v', ԝ: 'w', α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v',
  ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ɡ: 'g', ɑ: 'a',
}
const homoglyphPattern = new RegExp(`[${Object.keys(homoglyphs).join('')}]`, 'g')
const leet: Record<string, string> = { '4': 'a', '@': 'a', '3': 'e', '1': 'i', '!': 'i', '0': 'o', '5': 's', $: 's', '7': 't', '8': 'b' }
// A token of letters and substitutes with at least one of each ("1gn0r3"); digit-only runs are numbers.
const LEET_TOKEN = /(?<![\w@$!])(?=[a-z4@3!105$78]*[a-z])(?=[a-z]*[4@3!105$78])[a-z4@3!105$78]+/g
const INVISIBLE = /[\p{Cf}\u034f\u115f\u1160\u3164]/gu
const SPACED_LETTERS = /\b(?:[a-z] ){2,}[a-z]\b/g
const BASE64_RUN = /[A-Za-z0-9+/]{16,}={0,2}/g
const MIXED_SCRIPT_WORD = /(?=[\p{L}]*\p{Script=Latin})(?=[\p{L}]*[\p{Script=Cyrillic}\p{Script=Greek}])[\p{L}]{2,}/u

/** Lower-cased NFKC text without invisible characters, with look-alike letters mapped to Latin. */
export function fold(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').toLowerCase().replace(homoglyphPattern, (c) => homoglyphs[c] ?? c)
}

/** True when a word mixes Latin letters with Cyrillic or Greek ones: a disguise, not a language. */
export function hasMixedScriptWord(text: string): boolean {
  return MIXED_SCRIPT_WORD.test(text.normalize('NFKC'))
}

/** Leetspeak read back as letters, only inside tokens that mix letters and substitutes. */
export function unleet(folded: string): string {
  return folded.replace(LEET_TOKEN, (t) => t.replace(/[4@3!105$78]/g, (c) => leet[c] ?? c))
}

/** "i g n o r e" read as "ignore". */
export function despace(folded: string): string {
  return folded.replace(SPACED_LETTERS, (run) => run.replace(/ /g, '')).replace(/[ \t]{2,}/g, ' ')
}

function printableShare(s: string): number {
  if (s.length === 0) return 0
  let ok = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if ((c >= 32 && c < 127) || c === 10) ok++
  }
  return ok / s.length
}

/** Base64 runs that decode to mostly printable text (the hidden payloads), decoded. */
export function decodeBase64Runs(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(BASE64_RUN)) {
    const run = m[0]
    if (!/[a-z]/.test(run) || !/[A-Z]/.test(run)) continue // ids and hex are one case or the other
    let decoded: string
    try {
      decoded = atob(run.length % 4 === 0 ? run : run + '='.repeat((4 - (run.length % 4)) % 4))
    } catch {
      continue
    }
    if (printableShare(decoded) >= 0.9 && /[a-z]{3,} [a-z]{2,}/i.test(decoded)) out.push(decoded)
  }
  return out
}

const rot13 = (s: string) => s.replace(/[a-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - 97 + 13) % 26) + 97))

/** Every view worth matching: the folded text, its de-leeted and de-spaced forms, and decoded payloads. */
export function textViews(text: string): { views: string[]; decodedPayload: boolean } {
  const folded = fold(text)
  const views = new Set([folded, unleet(folded), despace(folded)])
  const decoded = decodeBase64Runs(text).map(fold)
  for (const d of decoded) views.add(d)
  if (/\brot-?13\b/.test(folded)) views.add(rot13(folded))
  return { views: [...views], decodedPayload: decoded.length > 0 }
}
