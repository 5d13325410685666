// Natural-language assertions graded without a model: a sentence is compiled into a deterministic check only when
// its form says unambiguously what to look for. Anything else is left ungraded and reported as such, never guessed.
// Forms understood (case-insensitive, "the agent"/"agent" optional, "should"/"must" alike):
//   should not mention|say|tell the user|reveal|disclose <Z>    → no agent reply contains Z
//   should not call <tool_name> / should call <tool_name>         → the model asked for (or never asked for) the tool
//   should (not) transfer|escalate|hand off ... (to a human)     → the conversation did (not) escalate
//   should tell|inform|provide|give|state|say|mention ... <values>, where the values are amounts ($1,234.56), numbers
//   of two or more digits, order ids (#W1234567) or quoted text    → every value appears in the agent's replies
// "Should tell the user the materials are polyester and cotton" or "should process the exchange" name no such value:
// ungraded here (the τ²-bench tasks' actions are graded by the final database state instead).
import { AppError } from '../../lib/errors.ts'

export type NlCheck =
  | { kind: 'mention'; values: string[] }
  | { kind: 'not_mention'; phrases: string[] }
  | { kind: 'call'; tool: string; expected: boolean }
  | { kind: 'escalate'; expected: boolean }

const SUBJECT = String.raw`^(?:the\s+)?(?:agent\s+)?(?:should|must|shall|is\s+to)`
const NOT_MENTION = new RegExp(`${SUBJECT}\\s+(?:not|never)\\s+(?:mention|say|tell\\s+the\\s+(?:user|customer)(?:\\s+about)?|reveal|disclose|state)\\s+(.+?)\\.?$`, 'i')
const NEVER_MENTION = /^(?:never|do\s+not|don't)\s+(?:mention|say|reveal|disclose)\s+(.+?)\.?$/i
const CALL = new RegExp(`${SUBJECT}\\s+(not\\s+|never\\s+)?(?:call|use|invoke)\\s+(?:the\\s+)?(?:tool\\s+)?\`?([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\`?`, 'i')
const ESCALATE = new RegExp(`${SUBJECT}\\s+(not\\s+|never\\s+)?(?:transfer|escalate|hand\\s+(?:off|over))\\b`, 'i')
const TELL = new RegExp(`${SUBJECT}\\s+(?:tell|inform|provide|give|state|say|mention|confirm)\\b`, 'i')
// Amounts and numbers (a sign of a concrete fact), order ids, and quoted text.
const VALUE = /"([^"]+)"|“([^”]+)”|'([^']{2,})'|(#[A-Z]\d{5,})|\$?(\d(?:[\d,]*\d)?(?:\.\d+)?)/g
const QUOTED = /"([^"]+)"|“([^”]+)”|'([^']{2,})'/g

const unquote = (s: string) => s.trim().replace(/^["'“”]+|["'“”]+$/g, '')

/** The deterministic check a sentence states; undefined when it states none this grader can judge. */
export function compileNlAssertion(text: string): NlCheck | undefined {
  const sentence = text.trim()
  const not = NOT_MENTION.exec(sentence) ?? NEVER_MENTION.exec(sentence)
  if (not) {
    // "must not mention the discount code "SAVE20"": the quoted text is what must not be said.
    const quoted = [...not[1]!.matchAll(QUOTED)].map((m) => m[1] ?? m[2] ?? m[3]!)
    return { kind: 'not_mention', phrases: quoted.length > 0 ? quoted : [unquote(not[1]!)] }
  }
  const call = CALL.exec(sentence)
  if (call) return { kind: 'call', tool: call[2]!.toLowerCase(), expected: !call[1] }
  const escalate = ESCALATE.exec(sentence)
  if (escalate) return { kind: 'escalate', expected: !escalate[1] }
  if (!TELL.test(sentence)) return undefined
  const values = [...sentence.matchAll(VALUE)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]!)
    // A lone digit ("1 laptop", "2 t-shirts") counts things, it is not a fact to state.
    .filter((v) => !/^\d$/.test(v))
  return values.length > 0 ? { kind: 'mention', values: [...new Set(values)] } : undefined
}

/** What a check reads of a conversation. */
export interface NlFacts {
  agentText: string
  asked: Set<string>
  escalated: boolean
  mentions(text: string, value: string): boolean
}

/** Whether the conversation meets the check, with what was missing when it did not. */
export function judgeNl(check: NlCheck, f: NlFacts): { passed: boolean; detail?: string } {
  switch (check.kind) {
    case 'mention': {
      const missing = check.values.filter((v) => !f.mentions(f.agentText, v))
      return missing.length ? { passed: false, detail: `not stated: ${missing.join(', ')}` } : { passed: true }
    }
    case 'not_mention': {
      const said = check.phrases.filter((p) => f.mentions(f.agentText, p))
      return said.length ? { passed: false, detail: `said ${said.map((p) => `"${p}"`).join(', ')}` } : { passed: true }
    }
    case 'call':
      return { passed: f.asked.has(check.tool) === check.expected }
    case 'escalate':
      return { passed: f.escalated === check.expected }
  }
}

/** Refuses sentences no deterministic check compiles from, naming them: a scenario must not hold an assertion nobody grades. */
export function assertNlCompiles(sentences: string[] | undefined, where: string): void {
  const bad = (sentences ?? []).filter((sentence) => !compileNlAssertion(sentence))
  if (bad.length === 0) return
  throw new AppError('request.invalid', `${where}: no deterministic check for ${bad.map((b) => `"${b}"`).join(', ')}; `
    + 'use "must (not) mention …", "must (not) call <tool_name>", "must (not) escalate", or "must tell the user …" with an amount, number, order id or quoted text')
}
