// The Arena in the console: runs, the side-by-side report of one and the maturity decisions (promotions and
// automatic demotions), read by supervisors, QA reviewers and admins;
// supervisors and admins play a run's matrix again (the workers play it) and watch its progress in the report.
import { Elysia, t } from 'elysia'
import { buildReport, createRun, newRunId } from '../../arena/index.ts'
import { AppError } from '../../lib/errors.ts'
import type { Storage } from '../../storage/index.ts'
import { MANAGERS, REVIEWERS } from './roles.ts'
import { consoleGuard, type ConsoleGuardDeps } from './session-guard.ts'

export interface ConsoleArenaRouteDeps extends ConsoleGuardDeps {
  storage: Pick<Storage, 'arenaRuns' | 'promotions'>
}

const RunParams = t.Object({ id: t.String({ pattern: '^[A-Za-z0-9_.-]{1,128}$' }) })

export function consoleArenaRoutes(deps: ConsoleArenaRouteDeps) {
  const runOf = async (tenantId: string, id: string) => {
    const run = await deps.storage.arenaRuns.get(id, tenantId)
    if (!run) throw new AppError('not_found', `no arena run ${id}`)
    return run
  }
  return new Elysia({ name: 'console-arena' })
    .use(consoleGuard(deps))
    .get('/console/api/arena/runs', async ({ person }) => ({
      data: (await deps.storage.arenaRuns.list(person.tenantId)).map(({ spec: _spec, ...run }) => run),
    }), { roles: REVIEWERS, detail: { summary: 'Arena runs, newest first', tags: ['console'] } })
    .get('/console/api/arena/runs/:id/report', async ({ person, params: { id } }) => {
      const run = await runOf(person.tenantId, id)
      return buildReport(run, await deps.storage.arenaRuns.trials(id))
    }, { roles: REVIEWERS, params: RunParams, detail: { summary: 'The side-by-side report of an Arena run', tags: ['console'] } })
    .get('/console/api/arena/decisions', async ({ person }) => ({ data: await deps.storage.promotions.recent(person.tenantId) }), {
      roles: REVIEWERS, detail: { summary: 'Maturity decisions: promotions granted or refused and automatic demotions, newest first', tags: ['console'] },
    })
    .post('/console/api/arena/runs/:id/again', async ({ person, params: { id }, set }) => {
      const run = await runOf(person.tenantId, id)
      const again = newRunId()
      // The same matrix as it was kept, pinned policy versions included: a like-for-like replay.
      await createRun(deps.storage.arenaRuns, { id: again, tenantId: person.tenantId, spec: run.spec, playedBy: 'workers', startedBy: `person:${person.id}` })
      set.status = 202
      return { id: again, status: 'running' }
    }, {
      roles: MANAGERS, params: RunParams,
      detail: { summary: "Play a run's matrix again, on the workers", tags: ['console'] },
    })
}
