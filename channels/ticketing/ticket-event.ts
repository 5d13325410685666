// The generic ticket event every ticketing source is normalised to, and its one validator: the webhook and
// the producer both go through `parseTicketEvent`, so they accept and refuse exactly the same things.
import { Type, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { TerminalError } from '../../lib/errors.ts'
import { findUnstorableInput } from '../../lib/storable-text.ts'

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max })

export const TicketEvent = Type.Object({
  event: Type.Union([Type.Literal('ticket.created'), Type.Literal('ticket.updated')]),
  ticket: Type.Object({
    id: Text(200),
    subject: Type.Optional(Type.String({ maxLength: 1000 })),
    /** `solved` or `closed` closes the conversation. */
    status: Type.Optional(Type.String({ maxLength: 50 })),
    requester: Type.Optional(Type.Object({
      externalId: Type.Optional(Text(200)),
      email: Type.Optional(Type.String({ pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$', maxLength: 320 })),
      phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ()-]{5,32}$' })),
      name: Type.Optional(Type.String({ maxLength: 200 })),
    }, { additionalProperties: false })),
  }, { additionalProperties: false }),
  /** The customer's new words; its id makes a redelivered event land once. */
  comment: Type.Optional(Type.Object({ id: Text(200), body: Text(16_000) }, { additionalProperties: false })),
  /** The agent that answers; @defaultValue 'demo' */
  agent: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })),
}, { additionalProperties: false })
export type TicketEvent = Static<typeof TicketEvent>

/** A refused input, with one line per problem: the API answers it as a 400 with these details. */
export class InvalidInput extends TerminalError {
  constructor(message: string, readonly details: { path: string; message: string }[]) {
    super('request.invalid', message)
  }
}

const check = TypeCompiler.Compile(TicketEvent)

export function parseTicketEvent(data: unknown, maxCommentChars = 16_000): TicketEvent {
  // The producer has no HTTP front door: text Postgres cannot store is refused here, by field, as there.
  const unstorable = findUnstorableInput(data)
  if (unstorable) throw new InvalidInput(`the ticket event field ${unstorable.path} ${unstorable.message}`, [unstorable])
  if (!check.Check(data)) {
    const details = [...check.Errors(data)].slice(0, 20).map((e) => ({ path: e.path || '/', message: e.message }))
    throw new InvalidInput('the ticket event does not match the schema', details)
  }
  if (data.comment && data.comment.body.length > maxCommentChars) {
    throw new InvalidInput('the comment is too long', [{ path: '/comment/body', message: `at most ${maxCommentChars} characters` }])
  }
  return data
}
