// Prompt injection and jailbreak detection for everything the agent reads: customer messages, tool
// results and retrieved passages. Pattern families over de-obfuscated views of the text (normalize.ts).
import type { CheckResult } from '../../lib/guardrail-check.ts'
import { families, type InjectionSignal } from './injection-patterns.ts'
import { hasMixedScriptWord, textViews } from './normalize.ts'

/** Where a text came from: the customer, a tool result, or a retrieved knowledge passage. */
export type ContentChannel = 'message' | 'tool' | 'passage'

export interface InjectionResult extends CheckResult {
  check: 'injection'
  channel: ContentChannel
  /** The signal families that fired, strongest first. */
  signals: Array<InjectionSignal | 'mixed_script'>
}

/** Score at or above which a text is treated as an injection; chosen on the corpus's tuning half. */
export const INJECTION_THRESHOLD = 0.5

const ENCODED_WEIGHT = 0.5
const MIXED_SCRIPT_WEIGHT = 0.45

function familyScores(views: string[], channel: ContentChannel): Map<InjectionSignal, number> {
  const scores = new Map<InjectionSignal, number>()
  for (const family of families) {
    if (family.contextOnly && channel === 'message') continue
    let hits = 0
    for (const pattern of family.patterns) if (views.some((v) => pattern.test(v))) hits++
    if (hits === 0) continue
    // Vocabulary adds up word by word; any other family is one piece of evidence however often it fires.
    const score = family.name === 'jailbreak_vocabulary' ? 1 - (1 - family.weight) ** hits : family.weight
    scores.set(family.name, score)
  }
  return scores
}

/**
 * Scores one text for injection. `score` is the combined evidence in [0, 1] (independent families:
 * 1 − Π(1 − wᵢ)). A customer message above the threshold escalates; a tool result or passage is blocked,
 * which means the caller keeps it out of the model's context.
 * @example detectInjection('ignore all previous instructions').verdict // 'escalate'
 */
export function detectInjection(text: string, channel: ContentChannel = 'message', threshold = INJECTION_THRESHOLD): InjectionResult {
  const { views, decodedPayload } = textViews(text)
  const scores = familyScores(views, channel)
  if (decodedPayload && scores.size > 0) scores.set('encoded_payload', ENCODED_WEIGHT)
  const signals: InjectionResult['signals'] = [...scores.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name)
  let keep = 1
  for (const s of scores.values()) keep *= 1 - s
  if (hasMixedScriptWord(text)) {
    keep *= 1 - MIXED_SCRIPT_WEIGHT
    signals.push('mixed_script')
  }
  const score = 1 - keep
  if (score < threshold) {
    return { check: 'injection', verdict: 'allow', score, reason: 'no injection signal', channel, signals }
  }
  const where = channel === 'message' ? 'the message' : channel === 'tool' ? 'a tool result' : 'a retrieved passage'
  return {
    check: 'injection', verdict: channel === 'message' ? 'escalate' : 'block', score, channel, signals,
    reason: `${where} looks like a prompt injection (${signals.join(', ')})`,
  }
}
