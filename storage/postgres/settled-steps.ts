// Which turn steps settle a customer message (nothing more is owed to it), and how far back a turn looks for
// earlier messages still owed a reply. Shared by the turn checkpoints and the message queries.

/** The step that marks a customer message as answered by an earlier turn (double texting, merge policy). */
export const MERGED_STEP = 'merged'
/** The step that marks a customer message as passed to the humans in charge (no reply of the agent's is owed). */
export const PASSED_STEP = 'passed'
/** Steps after which a customer message is owed nothing more: answered, merged into another turn, or passed on. */
export const SETTLED_STEPS = ['reply', MERGED_STEP, PASSED_STEP] as const
/**
 * How far back a turn looks for earlier customer messages still owed a reply (mail that went missing or arrived out of
 * order): its conversation's last customer messages before it, written within a day.
 */
export const EARLIER_LOOKBACK = { messages: 20, ms: 24 * 3600_000 } as const
