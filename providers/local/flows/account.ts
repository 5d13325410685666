// Authentication (policy: locate the user id by email, or by name + zip, before anything else) and the
// account and password help flows. Pure functions of the conversation state.
import { anythingElse, askToAuthenticate, howCanIHelp, passwordReply, profileReply } from '../replies.ts'
import type { RetailUser } from '../retail-types.ts'
import { findOutcome, type ConversationState } from '../state.ts'
import { callTool, reply, type Step } from '../step.ts'

/** The next authentication step, or undefined once the customer is authenticated. */
export function authenticate(state: ConversationState): Step | undefined {
  if (state.userId) return undefined
  const email = state.identity.emails[0]
  if (email) {
    const args = { email }
    const tried = findOutcome(state, 'find_user_id_by_email', args)
    if (!tried) return callTool('find_user_id_by_email', args, 'authenticate_by_email')
  }
  const { name, zip } = state.identity
  if (name && zip) {
    const args = { first_name: name.firstName, last_name: name.lastName, zip }
    if (!findOutcome(state, 'find_user_id_by_name_zip', args)) return callTool('find_user_id_by_name_zip', args, 'authenticate_by_name_zip')
  }
  if (email || (name && zip)) {
    return reply(
      'I could not find an account with those details. Could you check them, or try your email address or your first and last name with your zip code?',
      'authentication_failed',
    )
  }
  // "Why do you need that?" deserves the reason before the question again.
  const why = /\?\s*$/.test(state.lastUserText) && !/\b(help|can you|could you)\b.*\b(order|return|exchange|cancel)/i.test(state.lastUserText)
  return reply(why ? `${verifyReason} ${askToAuthenticate}` : askToAuthenticate, 'need_authentication')
}

const verifyReason = 'I can only look at an account, its orders or make a change once I have verified that the account is yours.'

/** Loads the authenticated customer's profile when it is not in the conversation yet. */
export function loadUser(state: ConversationState): Step | undefined {
  if (state.user || !state.userId) return undefined
  const args = { user_id: state.userId }
  const tried = findOutcome(state, 'get_user_details', args)
  return tried ? reply('I could not load your account details just now.', 'user_lookup_failed') : callTool('get_user_details', args, 'load_user')
}

// TypeScript cannot see that authenticate + loadUser leave a user behind, hence the fallback branch.
function withUser(state: ConversationState, render: (user: RetailUser) => Step): Step {
  const step = authenticate(state) ?? loadUser(state)
  if (step) return step
  return state.user ? render(state.user) : reply(askToAuthenticate, 'need_authentication')
}

export function passwordHelp(state: ConversationState, resetInstructions: string): Step {
  return withUser(state, (user) => reply(`${passwordReply(user, resetInstructions)} ${anythingElse}`, 'password_help'))
}

export function accountHelp(state: ConversationState): Step {
  return withUser(state, (user) => reply(profileReply(user), 'account_details'))
}

/**
 * The customer introduced themselves without a request yet: verify them, then ask what they need (`question`:
 * what they said about an order stays the context of the request that answers it).
 */
export function identify(state: ConversationState, question: string = howCanIHelp): Step {
  return withUser(state, (user) => reply(`Thanks, ${user.name.first_name}, I have verified your account. ${question}`, 'identified'))
}
