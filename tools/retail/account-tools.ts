// The WRITE tools on a user's account: the default address (τ²-bench) and account recovery (ours, for
// the account intents), whose email is an outbox row committed with the call's idempotency record.
import { defineTool } from '../define.ts'
import { AddressArgs, args, UserId } from './params.ts'
import { refuse, userDoc } from './store.ts'

export const modifyUserAddress = defineTool({
  name: 'modify_user_address',
  description:
    'Modify the default address of a user. The agent needs to explain the modification detail and ask for explicit user confirmation (yes/no) to proceed.',
  type: 'WRITE',
  parameters: args({ user_id: UserId, ...AddressArgs }),
  async run(a, { db }) {
    const updated = await db`update retail_users set address1 = ${a.address1}, address2 = ${a.address2}, city = ${a.city},
      state = ${a.state}, country = ${a.country}, zip = ${a.zip} where user_id = ${a.user_id} returning 1`
    if (updated.length === 0) refuse('User not found')
    return userDoc(db, a.user_id)
  },
})

export const sendPasswordReset = defineTool({
  name: 'send_password_reset',
  description:
    "Send a password reset link to the email address on file for the user's account. Use it when an authenticated user cannot sign in or asks to recover or reset their account password. It never reveals or changes the password itself.",
  type: 'WRITE',
  parameters: args({ user_id: UserId }),
  async run({ user_id }, { db, idempotencyKey }) {
    const [user] = await db<{ email: string }[]>`select email from retail_users where user_id = ${user_id}`
    if (!user) refuse('User not found')
    await db`insert into retail_outbox (user_id, kind, payload)
      values (${user_id}, 'password_reset', ${db.json({ email: user.email, requestKey: idempotencyKey })})`
    return `Password reset link sent to ${maskEmail(user.email)}`
  },
})

/** Shows enough of the address for the customer to recognise it, not enough to disclose it. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@')
  return `${local.slice(0, 1)}***@${domain}`
}
