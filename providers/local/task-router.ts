// Which tier-1 task a customer message asks for, and whether it opens a new request in the middle of
// another. Retail requests the general-purpose intent data has no label for (exchanges, payment and
// address changes, product questions) are recognised by their wording first; the classifier does the rest.
import type { RetailEntities } from './entities.ts'
import { balanceQuestion, boughtTotalQuestion, paymentTotalQuestion, refundTotalQuestion, remainingTotalQuestion } from './flows/figures.ts'
import { taskForIntent, type IntentClassification, type LocalTask } from './intents.ts'

// "A new house", "this new address" describe (a move, where an order went); "my new address is …" asks for a change.
const change = String.raw`\b(?:change|changing|update|updating|modify|modifying|adjust|adjusting|switch|switching|correct|fix|replace|edit|use|(?<!\b(?:a|this|that)\s)new)\b`

// First match wins: an exchange that mentions a payment method is still an exchange.
const rules: Array<[RegExp, LocalTask]> = [
  // "After the return is complete, the total I paid for the remaining items": a question, not a return.
  [remainingTotalQuestion, 'account_figures'],
  [boughtTotalQuestion, 'account_figures'],
  [/\b(?:exchange[sd]?|exchanging|swap(?:ped|s)?|swapping)\b/i, 'change_items'],
  [/\breturn(?:ing)?\b|\bsend (?:it |them |\w+ )?back\b/i, 'return_order'],
  // "See if it can be canceled" asks for a cancellation; "my cancelled order" only names an order.
  [/\bcancel(?:l?ing)?\b|\bcancell?ed\b(?!\s+orders?\b)/i, 'cancel_order'],
  // "Remove the jacket from my pending order": an order loses items only by being cancelled whole.
  [/\bremov(?:e|ing)\b[^.?!]{0,40}\bfrom\b[^.?!]{0,20}\border\b/i, 'cancel_order'],
  // "change my default address" (but "ship it to my default address" is about the order).
  [new RegExp(`${change}\\s+(?:my\\s+|the\\s+)?(?:default|account|profile|home|user)\\s+address|\\b(?:default|account|profile|user) address\\s+(?:to|should be|is now)\\b|${change}[^.?!]{0,30}\\baddress (?:on|of|in) (?:my )?(?:account|profile)`, 'i'), 'change_default_address'],
  [new RegExp(`${change}[^.?!]{0,40}\\b(?:shipping |delivery )?address\\b|\\b(?:ship|send|deliver) (?:it|the order|my order|them)?\\s*to (?:a |my )?(?:new|different|another|other)\\b|\\bwrong (?:shipping )?address\\b`, 'i'), 'change_order_address'],
  // "Split the payment with another card": about how the order is paid.
  [/\bsplit\b[^.?!]{0,30}\bpayment\b/i, 'change_payment'],
  [new RegExp(`${change}[^.?!]{0,40}\\b(?:payment(?: method)?|pay(?:ing)? (?:for it )?with|paypal|gift card|credit card)\\b|\\bpay (?:for [a-z0-9# ]{1,30} )?with (?:my |a |the )?(?:other|different|another|paypal|gift card|credit card)\\b`, 'i'), 'change_payment'],
  [new RegExp(`${change}[^.?!]{0,40}\\b(?:items?|size|colou?r|option|options|variant|version|model)\\b`, 'i'), 'change_items'],
  // "I want to ask for a new pair with the same specs" of something received: a replacement is an exchange.
  [/\b(?:a )?(?:new|replacement) (?:one|pair|unit)\b/i, 'change_items'],
  // "modify all my pending small tshirts to purple": a change to something else, once addresses and payments are ruled out.
  [new RegExp(`${change}[^.?!]{0,60}\\b(?:to|for|into)\\b`, 'i'), 'change_items'],
  // "I want to know the total refund amount", "my gift card balance after all these changes".
  [refundTotalQuestion, 'account_figures'],
  [balanceQuestion, 'account_figures'],
  [paymentTotalQuestion, 'account_figures'],
  [/\b(?:how much (?:is|are|does|do)|price of|prices of|in stock|availab(?:le|ility)|what (?:options|variants|kinds|types)|which (?:options|variants))\b/i, 'product_info'],
  [/\b(?:order|orders) (?:status|details)\b|\bwhere(?:'s| is) my\b|\btracking\b|\bstatus of\b|\bhow much (?:did )?I (?:pay|paid)\b/i, 'order_status'],
  // "Which two t-shirts have I ordered in another order, and what materials are they?": what an order holds.
  [/\b(?:which|what)\b[^.?!]{0,30}\b(?:(?:have|did) I|I(?: have|'ve)?) (?:order|ordered|buy|bought)\b/i, 'order_status'],
]

/** The task a text asks for by its wording alone, if it names one. */
export function ruleTask(text: string): LocalTask | undefined {
  return rules.find(([re]) => re.test(text))?.[1]
}

/** The task a text asks for: its wording, else a confident classification. */
export function routeTask(text: string, c: IntentClassification): LocalTask | undefined {
  return ruleTask(text) ?? taskForIntent(c.intent)
}

// An answer full of ids ("a@b.com, order #W…") reads like track_order to the model; only a clearly
// new request switches away from the task the customer is in the middle of.
const switchConfidence = 0.75

/** Whether a message answers the open task (ids, a yes or no, a reason) rather than asking something new. */
export function answersTask(e: RetailEntities): boolean {
  return e.orderIds.length + e.emails.length + e.itemIds.length + e.productIds.length + e.paymentMethodIds.length + e.paymentKinds.length > 0 ||
    (e.name !== undefined && e.zip !== undefined) || e.affirmative !== undefined || e.cancelReason !== undefined || e.allItems
}

// Inside these tasks a payment method is part of the answer ("refund it to my gift card"), not a new request.
const settlesWithPayment = new Set<LocalTask>(['return_order', 'change_items', 'cancel_order'])

/** The task after one more customer message: a new request switches, anything else continues the open task. */
export function nextTask(open: LocalTask | undefined, text: string, c: IntentClassification, e: RetailEntities): LocalTask | undefined {
  // "I'm Yusuf Rossi, zip code 19122" is an introduction (the classifier half-reads a password problem into it);
  // with a clear request beside it ("I forgot my password, my email is …") it is that request.
  const introduces = e.emails.length > 0 || (e.name !== undefined && e.zip !== undefined)
  if (!open) return introduces && c.confidence < switchConfidence ? ruleTask(text) : routeTask(text, c)
  const byRule = ruleTask(text)
  if (byRule === 'change_payment' && settlesWithPayment.has(open)) return open
  // "I want to know all available 13-inch options, and I prefer i5" while choosing the new item: part of the choice.
  if (byRule === 'product_info' && open === 'change_items') return open
  if (byRule && byRule !== open) return byRule
  const byModel = taskForIntent(c.intent)
  if (!byRule && byModel && byModel !== open && c.confidence >= switchConfidence && !answersTask(e)) return byModel
  return open
}
