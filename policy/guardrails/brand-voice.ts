// Brand voice from the agent's policy: banned phrases, required disclosures (for example that the customer
// is talking to an AI), tone rules and a maximum length. Pure.
import type { CheckResult } from '../../lib/guardrail-check.ts'
import { fold } from './normalize.ts'

export interface RequiredDisclosure {
  name: string
  /** What to say; a reply containing it, or any `accept` phrase, discloses. */
  text: string
  accept?: readonly string[]
  when: 'first_reply' | 'every_reply'
}

export interface ToneRules {
  /** @defaultValue 2 */
  maxExclamations?: number
  /** Two or more words of four or more capitals (acronyms excepted) read as shouting; one may be a model name. @defaultValue true */
  noShouting?: boolean
  /** "You should have…", "as I already said": blaming or talking down to the customer. @defaultValue true */
  noBlame?: boolean
  /** @defaultValue true */
  noProfanity?: boolean
  /** @defaultValue false */
  noEmoji?: boolean
}

export interface BrandVoiceSettings {
  bannedPhrases?: readonly string[]
  requiredDisclosures?: readonly RequiredDisclosure[]
  tone?: ToneRules
  /** Characters. @defaultValue 1500 */
  maxLength?: number
}

export type BrandVoiceRule = 'banned_phrase' | 'missing_disclosure' | 'exclamations' | 'shouting' | 'blame' | 'profanity' | 'emoji' | 'too_long'

export interface BrandVoiceResult extends CheckResult {
  check: 'brand_voice'
  /** `score`: min(1, violations / 3). */
  violations: Array<{ rule: BrandVoiceRule; detail: string }>
  /** Disclosures the reply lacks, as text the caller may prepend instead of regenerating. */
  missingDisclosures: string[]
}

/** The disclosure most policies require: the customer is talking to an AI. */
export const AI_DISCLOSURE: RequiredDisclosure = {
  name: 'ai_disclosure', text: "I'm an AI assistant.", when: 'first_reply',
  accept: ['ai assistant', 'virtual assistant', 'automated assistant', 'i am an ai', "i'm an ai", 'a bot', 'ai agent'],
}
export const DEFAULT_MAX_LENGTH = 1500

const ACRONYMS = new Set(['USA', 'USB', 'SSD', 'HDD', 'LCD', 'LED', 'RGB', 'HEPA', 'AMOLED', 'HDMI', 'IPX4', 'IPX7', 'ID', 'PIN', 'FAQ', 'EST', 'PST', 'UTC', 'API', 'OLED', 'NFC', 'GPS', 'ASAP', 'PDF', 'URL', 'USPS', 'UPS', 'DHL', 'FEDEX', 'CVV', 'ZIP', 'NOTE', 'IMPORTANT'])
const BLAME = /\b(?:you should have|you shouldn'?t have|your (?:own )?fault|as i (?:already )?(?:said|told you|explained)|i already told you|obviously|calm down|you failed to|you didn'?t read|read (?:the|my) (?:message|instructions) again|that'?s not my problem)\b/i
const PROFANITY = /\b(?:damn|hell|crap|shit|fuck\w*|bitch|bastard|stupid|idiot|dumb|moron)\b/i
const EMOJI = /\p{Extended_Pictographic}/u

function hasPhrase(foldedReply: string, phrase: string): boolean {
  const p = fold(phrase).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(?:^|\\W)${p}(?:$|\\W)`).test(foldedReply)
}

function toneViolations(reply: string, tone: ToneRules): BrandVoiceResult['violations'] {
  const out: BrandVoiceResult['violations'] = []
  const bangs = (reply.match(/!/g) ?? []).length
  if (bangs > (tone.maxExclamations ?? 2)) out.push({ rule: 'exclamations', detail: `${bangs} exclamation marks` })
  const shouted = (reply.match(/\b[A-Z]{4,}\b/g) ?? []).filter((w) => !ACRONYMS.has(w))
  if ((tone.noShouting ?? true) && shouted.length > 1) out.push({ rule: 'shouting', detail: `capitalised: ${shouted.slice(0, 3).join(', ')}` })
  if ((tone.noBlame ?? true) && BLAME.test(reply)) out.push({ rule: 'blame', detail: `"${BLAME.exec(reply)?.[0]}"` })
  if ((tone.noProfanity ?? true) && PROFANITY.test(reply)) out.push({ rule: 'profanity', detail: 'profanity' })
  if (tone.noEmoji && EMOJI.test(reply)) out.push({ rule: 'emoji', detail: 'emoji' })
  return out
}

/**
 * Checks one reply against the brand voice. Violations answer `regenerate` with the reasons.
 * @example checkBrandVoice('Sure!!!', { tone: { maxExclamations: 1 } }).violations[0].rule // 'exclamations'
 */
export function checkBrandVoice(reply: string, settings: BrandVoiceSettings = {}, options: { firstReply?: boolean } = {}): BrandVoiceResult {
  const folded = fold(reply)
  const violations: BrandVoiceResult['violations'] = []
  for (const phrase of settings.bannedPhrases ?? []) {
    if (hasPhrase(folded, phrase)) violations.push({ rule: 'banned_phrase', detail: `"${phrase}"` })
  }
  const due = (settings.requiredDisclosures ?? []).filter((d) => d.when === 'every_reply' || options.firstReply)
  const missing = due.filter((d) => ![d.text, ...(d.accept ?? [])].some((p) => hasPhrase(folded, p.replace(/[.!]$/, ''))))
  for (const d of missing) violations.push({ rule: 'missing_disclosure', detail: d.name })
  violations.push(...toneViolations(reply, settings.tone ?? {}))
  const max = settings.maxLength ?? DEFAULT_MAX_LENGTH
  if (reply.length > max) violations.push({ rule: 'too_long', detail: `${reply.length} characters, at most ${max}` })
  const base = { check: 'brand_voice' as const, score: Math.min(1, violations.length / 3), violations, missingDisclosures: missing.map((d) => d.text) }
  if (violations.length === 0) return { ...base, verdict: 'allow', reason: 'on brand' }
  return { ...base, verdict: 'regenerate', reason: `off brand: ${violations.map((v) => `${v.rule} (${v.detail})`).join('; ')}` }
}
