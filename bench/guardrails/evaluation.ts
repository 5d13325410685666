// The guardrail evaluations on the shipped corpora, as plain figures: injection precision and recall on
// the held-out half, grounding false positives on the dialogues and recall on perturbed replies, the
// local provider's reply templates, sentiment and brand voice on ordinary traffic.
import { readFileSync } from 'node:fs'
import { checkBrandVoice, checkGrounding, detectInjection, sentimentScore, NEGATIVE_SENTIMENT_THRESHOLD } from '../../policy/index.ts'
import { loadUtterances } from '../../providers/local/index.ts'
import { describePaymentMethod, orderStatusReply, ordersListReply, profileReply, refundTiming } from '../../providers/local/replies.ts'
import type { RetailOrder, RetailPaymentMethod, RetailUser } from '../../providers/local/retail-types.ts'
import { loadDialogues, loadGroundedReplies, loadInjectionCorpus, loadPolicyPassages, type LabelledText } from './corpora.ts'
import { perturbReplies } from './perturbations.ts'

const ratio = (a: number, b: number) => (b === 0 ? 0 : Number((a / b).toFixed(4)))

function scoreInjection(rows: LabelledText[]) {
  const flagged = rows.map((r) => ({ r, hit: detectInjection(r.text, r.channel).verdict !== 'allow' }))
  const tp = flagged.filter((f) => f.hit && f.r.label === 1).length
  const fp = flagged.filter((f) => f.hit && f.r.label === 0).length
  const positives = rows.filter((r) => r.label === 1).length
  const bitext = flagged.filter((f) => f.r.source === 'bitext')
  const byCategory: Record<string, string> = {}
  for (const c of new Set(rows.filter((r) => r.label === 1).map((r) => r.category))) {
    const inCat = flagged.filter((f) => f.r.label === 1 && f.r.category === c)
    byCategory[c] = `${inCat.filter((f) => f.hit).length}/${inCat.length}`
  }
  return {
    positives, negatives: rows.length - positives, precision: ratio(tp, tp + fp), recall: ratio(tp, positives),
    bitextFalsePositiveRate: ratio(bitext.filter((f) => f.hit).length, bitext.length), bitextSize: bitext.length,
    ordinaryFalsePositives: fp, byCategory,
  }
}

/** Injection detection on the tuning half and on the held-out half (the figures that count). */
export function evaluateInjection() {
  const corpus = loadInjectionCorpus()
  return { heldOut: scoreInjection(corpus.heldOut), tuning: scoreInjection(corpus.tuning) }
}

/** Grounding on the dialogues' own replies (false positives) and on perturbed ones (recall). */
export function evaluateGrounding() {
  const replies = loadGroundedReplies()
  const results = replies.map((g) => ({ g, r: checkGrounding(g.reply, g.context) }))
  const flagged = results.filter(({ r }) => r.verdict !== 'allow')
  const perturbations = perturbReplies(results.filter(({ r }) => r.verdict === 'allow').map(({ g }) => g))
  const caught = perturbations.map((p) => ({ p, hit: checkGrounding(p.reply, p.original.context).verdict !== 'allow' }))
  const byKind: Record<string, string> = {}
  for (const k of new Set(perturbations.map((p) => p.kind))) {
    const inKind = caught.filter((c) => c.p.kind === k)
    byKind[k] = `${inKind.filter((c) => c.hit).length}/${inKind.length}`
  }
  return {
    dialogueReplies: replies.length, claims: results.reduce((n, { r }) => n + r.claims, 0), flagged: flagged.length,
    flaggedReasons: flagged.map(({ g, r }) => `dialogue ${g.dialogue}: ${r.reason}`),
    perturbations: perturbations.length, recall: ratio(caught.filter((c) => c.hit).length, perturbations.length), byKind,
  }
}

/** The local provider's reply templates rendered for every order and user in the shop, each against its own record. */
export function evaluateReplyTemplates() {
  const db = JSON.parse(readFileSync(new URL('../../data/retail/db.json', import.meta.url), 'utf8')) as { orders: Record<string, RetailOrder>; users: Record<string, RetailUser> }
  const passages = loadPolicyPassages()
  const rendered: Array<[string, unknown]> = []
  for (const o of Object.values(db.orders)) {
    rendered.push([orderStatusReply(o), o])
    const paid = o.payment_history.find((p) => p.transaction_type === 'payment')?.payment_method_id ?? ''
    rendered.push([`The total will be refunded to ${paid} ${refundTiming(paid)}.`, o])
  }
  for (const u of Object.values(db.users)) {
    rendered.push([profileReply(u), u], [ordersListReply(u), u])
    for (const [id, m] of Object.entries(u.payment_methods)) rendered.push([`The refund would go to ${describePaymentMethod(id, m as RetailPaymentMethod)}.`, u])
  }
  const flagged = rendered.filter(([reply, record]) => checkGrounding(reply, { toolResults: [JSON.stringify(record)], passages }).verdict !== 'allow')
  return { rendered: rendered.length, flagged: flagged.length }
}

/** Sentiment on Bitext (complaints against the rest) and on the dialogues' customer messages. */
export function evaluateSentiment() {
  const utterances = loadUtterances()
  const upset = (t: string) => sentimentScore(t) <= NEGATIVE_SENTIMENT_THRESHOLD
  const mean = (ts: string[]) => Number((ts.reduce((s, t) => s + sentimentScore(t), 0) / ts.length).toFixed(4))
  const complaints = utterances.filter((u) => u.intent === 'complaint').map((u) => u.text)
  const others = utterances.filter((u) => u.intent !== 'complaint').map((u) => u.text)
  const customers = loadDialogues().flat().filter((m) => m.role === 'user').map((m) => m.text)
  return {
    threshold: NEGATIVE_SENTIMENT_THRESHOLD, complaintMean: mean(complaints), otherMean: mean(others),
    complaintUpset: ratio(complaints.filter(upset).length, complaints.length), otherUpset: ratio(others.filter(upset).length, others.length),
    dialogueCustomerUpset: ratio(customers.filter(upset).length, customers.length),
  }
}

/** Brand voice with default settings on the dialogues' replies (all acceptable support replies). */
export function evaluateBrandVoice() {
  const replies = loadGroundedReplies()
  return { replies: replies.length, flagged: replies.filter((g) => checkBrandVoice(g.reply).verdict !== 'allow').length }
}
