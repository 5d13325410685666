// The agent console inside the API process: its page and assets at /console, and its JSON API at /console/api,
// behind its own sign-in (cookie session + CSRF token + role per route), apart from the tenant keys of /v1.
import { Elysia, t } from 'elysia'
import { AppError } from '../../lib/errors.ts'
import type { EventHub, Storage } from '../../storage/index.ts'
import type { HumanActionDeps } from '../human-actions.ts'
import { approvalRoutes } from './approval-routes.ts'
import { conversationRoutes } from './conversation-routes.ts'
import { handoffRoutes } from './handoff-routes.ts'
import { peopleRoutes } from './people-routes.ts'
import { workspaceRoutes } from './workspace-routes.ts'

/** One built file of the console's page. */
export interface ConsoleAsset {
  body: string
  contentType: string
}

/** The page (`index.html`) and its assets by file name, built once (see console/). */
export type LoadConsoleAssets = () => Promise<ReadonlyMap<string, ConsoleAsset>>

export interface ConsoleOptions {
  sessionTtlMs: number
  assets: LoadConsoleAssets
}

export interface ConsoleRouteDeps extends HumanActionDeps {
  storage: HumanActionDeps['storage'] & Pick<Storage,
    'chat' | 'messages' | 'turnRecords' | 'rateLimiter' | 'consolePeople' | 'consoleInbox' | 'consoleWorkspace' | 'handoffQueues' | 'approvals' | 'knowledge'>
  hub: EventHub
  limits: { maxBodyBytes: number; maxMessageChars: number; sseHeartbeatMs: number }
  console: ConsoleOptions
}

// The page may load only what it ships with: no inline script, no other origin.
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-cache',
}

async function asset(deps: ConsoleRouteDeps, name: string): Promise<Response> {
  const file = (await deps.console.assets()).get(name)
  if (!file) throw new AppError('not_found', `no console file ${name}`)
  return new Response(file.body, { headers: { ...PAGE_HEADERS, 'content-type': file.contentType } })
}

export function consoleRoutes(deps: ConsoleRouteDeps) {
  const guard = { people: deps.storage.consolePeople, maxBodyBytes: deps.limits.maxBodyBytes }
  return new Elysia({ name: 'console' })
    .use(peopleRoutes({ ...guard, storage: deps.storage, sessionTtlMs: deps.console.sessionTtlMs }))
    .use(handoffRoutes({ ...guard, ...deps, maxMessageChars: deps.limits.maxMessageChars }))
    .use(conversationRoutes({ ...guard, storage: deps.storage, hub: deps.hub, sseHeartbeatMs: deps.limits.sseHeartbeatMs }))
    .use(workspaceRoutes({ ...guard, storage: deps.storage }))
    .use(approvalRoutes({ ...guard, storage: deps.storage, inbox: deps.inbox }))
    .get('/console', () => asset(deps, 'index.html'), { detail: { hide: true } })
    .get('/console/assets/:name', ({ params: { name } }) => asset(deps, name), {
      params: t.Object({ name: t.String({ pattern: '^[A-Za-z0-9_.-]{1,100}$' }) }), detail: { hide: true },
    })
}
