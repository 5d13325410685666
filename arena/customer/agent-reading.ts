// What the customer understands of an agent's message: which question it asks, whether it proposes an
// action for confirmation, refuses, transfers, or has finished and offers more help.

export interface AgentReading {
  transferred: boolean
  asksEmail: boolean
  asksNameOrZip: boolean
  asksUserId: boolean
  asksOrderId: boolean
  /** Which address to use (a new shipping or default address). */
  asksAddress: boolean
  /** Which of several things they mean ("Which one would you like to return?"). */
  asksWhich: boolean
  asksReason: boolean
  /** Which payment method should pay or take a refund. */
  asksPaymentMethod: boolean
  asksConfirmation: boolean
  /** The question is whether to carry on ("Shall I keep looking?"), not a proposal to confirm. */
  asksToContinue: boolean
  refused: boolean
  /** The agent could not find what it was given (an order id, a zip). */
  notFound: boolean
  offersMore: boolean
  /** What to do about what they told ("What would you like to do?"). */
  asksWhatToDo: boolean
  asksSomething: boolean
}

export function readAgent(text: string): AgentReading {
  const t = text.toLowerCase()
  const question = t.includes('?') || /\b(please (provide|share|tell|confirm|let me know)|could you|can you)\b/.test(t)
  const asks = (subject: RegExp) => question && subject.test(t)
  // "Reply yes", not an option value ("Hiking Boots (9, leather, yes)").
  const asksConfirmation = question && /\b(confirm|proceed|go ahead|shall i|should i|would you like me to|do you want me to|(?:reply|say|answer) "?yes\b|yes\/no|yes or no)/.test(t)
  return {
    transferred: /transferr(ed|ing) you|being transferred|human agent.*hold on|hand(ed|ing) (you )?(over )?to a (human|person|colleague)/.test(t),
    asksEmail: asks(/e-?mail/),
    asksNameOrZip: asks(/\b(full name|first name|last name|your name|zip|postal code)\b/),
    asksUserId: asks(/\buser ?id\b/),
    asksOrderId: asks(/\border (id|number)s?\b|\bwhich order\b/),
    asksAddress: asks(/\b(new address|which address|what address|what is the address)\b/),
    asksWhich: asks(/\bwhich (one|of (these|them|the))\b|\bmore than one\b/),
    // A proposal that states the reason ("reason: no longer needed. Shall I go ahead?") asks for a yes, not a reason.
    asksReason: asks(/\breason\b/) && !asksConfirmation,
    asksPaymentMethod: asks(/\b(which payment method|what payment method|which (card|method) (should|would|do)|refund (method|destination))\b/) && !asksConfirmation,
    asksConfirmation,
    asksToContinue: question && /\b(keep looking|go on with that|continue looking)\b/.test(t),
    refused: /\b(cannot|can't|can not|unable to|not able to|not possible|isn't possible|is not allowed|not allowed|only .{0,40} can be|no .{0,30} (is|are) available|not available)\b/.test(t),
    notFound: /\b(not found|couldn't find|could not find|can't find|cannot find|no (order|user|account) (with|matching)|does not exist|doesn't exist|double.?check)\b/.test(t),
    offersMore: /\b(anything else|something else|any other|else i can help|further assistance|what can i (help|do)|how can i (help|assist))\b/.test(t),
    asksWhatToDo: asks(/\bwhat would you like (?:me )?to do\b/),
    asksSomething: question,
  }
}
