// The HTTP API: one Elysia app of route plugins. Talks to queues only to send, and to storage to read.
import { Elysia } from 'elysia'
import type { Logger } from '../lib/log.ts'
import { errorHandling } from './errors.ts'
import { healthRoutes, type ReadinessCheck } from './routes/health.ts'
import { messagesRoutes, type MessagesRouteDeps } from './routes/messages.ts'

export interface AppDeps extends MessagesRouteDeps {
  log: Logger
  readiness: ReadinessCheck
}

/**
 * Builds the app without listening, so tests call `app.handle(new Request(...))`.
 * @example createApp(deps).listen(8080)
 */
export function createApp(deps: AppDeps) {
  return new Elysia()
    .use(errorHandling(deps.log))
    .use(healthRoutes(deps.readiness))
    .use(messagesRoutes(deps))
}
export type App = ReturnType<typeof createApp>
