// Who may do what in the console. Every console route names one of these sets; the route test checks each route
// against them with every role.
import type { ConsoleRole } from '../../storage/index.ts'

/** Everyone signed in. */
export const ANYONE: ConsoleRole[] = ['agent', 'qa_reviewer', 'supervisor', 'admin']
/** The people who work handoffs and drafts. */
export const HANDLERS: ConsoleRole[] = ['agent', 'supervisor', 'admin']
/** QA reviews. */
export const REVIEWERS: ConsoleRole[] = ['qa_reviewer', 'supervisor', 'admin']
/** Queues and canned responses. */
export const MANAGERS: ConsoleRole[] = ['supervisor', 'admin']
/** People and their roles. */
export const ADMINS: ConsoleRole[] = ['admin']
