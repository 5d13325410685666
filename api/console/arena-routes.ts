// The Arena in the console: runs and the side-by-side report of one, read by supervisors, QA reviewers and admins.
import { Elysia, t } from 'elysia'
import { buildReport } from '../../arena/index.ts'
import { AppError } from '../../lib/errors.ts'
import type { Storage } from '../../storage/index.ts'
import { REVIEWERS } from './roles.ts'
import { consoleGuard, type ConsoleGuardDeps } from './session-guard.ts'

export interface ConsoleArenaRouteDeps extends ConsoleGuardDeps {
  storage: Pick<Storage, 'arenaRuns'>
}

export function consoleArenaRoutes(deps: ConsoleArenaRouteDeps) {
  return new Elysia({ name: 'console-arena' })
    .use(consoleGuard(deps))
    .get('/console/api/arena/runs', async ({ person }) => ({
      data: (await deps.storage.arenaRuns.list(person.tenantId)).map(({ spec: _spec, ...run }) => run),
    }), { roles: REVIEWERS, detail: { summary: 'Arena runs, newest first', tags: ['console'] } })
    .get('/console/api/arena/runs/:id/report', async ({ person, params: { id } }) => {
      const run = await deps.storage.arenaRuns.get(id, person.tenantId)
      if (!run) throw new AppError('not_found', `no arena run ${id}`)
      return buildReport(run, await deps.storage.arenaRuns.trials(id))
    }, {
      roles: REVIEWERS, params: t.Object({ id: t.String({ pattern: '^[A-Za-z0-9_.-]{1,128}$' }) }),
      detail: { summary: 'The side-by-side report of an Arena run', tags: ['console'] },
    })
}
