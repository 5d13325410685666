// Old policy against new, side by side: a configuration pins an AgentPolicy at a version of the tenant's store, the
// run keeps the pinned spec (so a resume plays the same), and each configuration's trials run under its version.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { buildReport, createRun, runTrials, storedPolicyVersions, type ArenaLane, type TrialResult } from '../../arena/index.ts'
import { createResources } from '../../storage/index.ts'
import { PENDING_ORDER, startArenaBed, type ArenaBed } from './support.ts'

let bed: ArenaBed
let lane: ArenaLane
const TENANT = 'acme'
const cancel = { tool: 'cancel_pending_order', args: { order_id: PENDING_ORDER.id, reason: 'no longer needed' } }
const OPEN = { version: 'open-1', unlistedWrites: 'allow', examples: [{ name: 'cancels', ...cancel, expect: 'allow' }] }
const STRICT = { version: 'strict-2', unlistedWrites: 'deny', examples: [{ name: 'never cancels', ...cancel, expect: 'deny' }] }

beforeAll(async () => {
  bed = await startArenaBed()
  lane = await bed.lane()
  const resources = createResources(bed.db.sql)
  for (const spec of [OPEN, STRICT]) await resources.apply({ tenantId: TENANT, kind: 'AgentPolicy', name: 'shop', spec: { ...spec, tenant: TENANT }, by: 'test' })
  bed.emu.script(
    { match: (r) => r.model === 'canceller' && r.toolResults.length === 0, repeat: true, reply: { toolCalls: [{ name: cancel.tool, arguments: cancel.args }] } },
    { match: { model: 'canceller' }, repeat: true, reply: { text: 'Done.' } },
  )
}, 60_000)
afterAll(() => bed.close(), 30_000)

const spec = (configurations: unknown[]) => ({
  name: 'old vs new', trials: 1, configurations,
  scenarios: [{ kind: 'scripted', id: 'cancel', customer: [`Cancel ${PENDING_ORDER.id} please`], assertions: { mustNotCall: [cancel.tool] } }],
})
const model = { provider: 'emu', model: 'canceller' }

test('two configurations pin two stored versions of one policy; the report shows each ran under its own', async () => {
  const policies = storedPolicyVersions(createResources(bed.db.sql), TENANT)
  const id = `pin-${crypto.randomUUID().slice(0, 8)}`
  const created = await createRun(bed.runs, { id, tenantId: TENANT, policies, spec: spec([
    { name: 'old', model, policy: 'shop', policyVersion: 1 }, { name: 'new', model, policy: 'shop', policyVersion: 2 },
  ]) })
  // The run keeps the specs as they were: a newer version written now changes nothing in it.
  expect(created.configurations.map((c) => c.pinnedPolicy?.spec.version)).toEqual(['open-1', 'strict-2'])
  await createResources(bed.db.sql).apply({ tenantId: TENANT, kind: 'AgentPolicy', name: 'shop', spec: { ...OPEN, version: 'open-3', tenant: TENANT }, by: 'test' })

  expect(await runTrials(id, { runs: bed.runs, lanes: [lane], worker: 'test' })).toBe('done')
  const trials = await bed.runs.trials(id)
  const versionOf = (config: string) => (trials.find((t) => t.config === config)!.result as TrialResult).policyVersion
  expect(versionOf('old')).toStartWith('open-1 ')
  expect(versionOf('new')).toStartWith('strict-2 ')
  const report = buildReport((await bed.runs.get(id))!, trials)
  // The model asks to cancel under both (a failed "must not call" each); the old policy let it through, the new one caught it.
  expect(report.configurations.map((c) => [c.name, c.policy, c.wrongWrites, c.violations])).toEqual([
    ['old', 'shop v1', 1, { caught: 0, missed: 1 }],
    ['new', 'shop v2', 0, { caught: 1, missed: 0 }],
  ])
}, 60_000)

test('a pin without a policy name, or of a version the store lacks, is refused before the run exists', async () => {
  const policies = storedPolicyVersions(createResources(bed.db.sql), TENANT)
  await expect(createRun(bed.runs, { id: 'pin-unnamed', tenantId: TENANT, policies, spec: spec([{ name: 'x', policyVersion: 1 }]) }))
    .rejects.toMatchObject({ code: 'request.invalid' })
  await expect(createRun(bed.runs, { id: 'pin-missing', tenantId: TENANT, policies, spec: spec([{ name: 'x', policy: 'shop', policyVersion: 9 }]) }))
    .rejects.toMatchObject({ code: 'not_found', message: 'AgentPolicy shop has no version 9' })
  expect(await bed.runs.get('pin-missing')).toBeUndefined()
})
