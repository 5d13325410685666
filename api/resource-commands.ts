// `bun main.ts admin …` commands over the versioned resources: apply documents as the operator, list what is in
// force, show a resource's history, roll one back, and store a tenant secret read from stdin (never argv).
import { readFileSync } from 'node:fs'
import { AppError } from '../lib/errors.ts'
import { diffSpecs, isResourceKind, KINDS, parseResourceDocuments, RESOURCE_KINDS, type ResourceKind } from '../resources/index.ts'
import type { Storage } from '../storage/index.ts'
import { applyDocuments, applyResource, type ApplyDeps } from './resource-apply.ts'
import { resourceView } from './routes/resources.ts'

export const RESOURCE_USAGE = `  apply <file.yaml>                                   (documents without spec.tenant apply to every tenant)
  resources <tenant id|*> <kind>                      (kind: ${RESOURCE_KINDS.join(', ')})
  history <tenant id|*> <kind> <name>
  rollback <tenant id|*> <kind> <name> <version>
  put-secret <tenant id> <name>                       (the value is read from stdin)`

export interface ResourceCommandDeps {
  apply: ApplyDeps
  storage: Pick<Storage, 'secrets'>
  /** The secret value, from stdin. */
  readSecret(): Promise<string>
}

function kindArgument(value: string | undefined): ResourceKind {
  const found = RESOURCE_KINDS.find((k) => k.toLowerCase() === value?.toLowerCase() || KINDS[k].plural === value?.toLowerCase())
  if (!found || !isResourceKind(found)) throw new AppError('request.invalid', `kind must be one of ${RESOURCE_KINDS.join(', ')}`)
  return found
}

/** Runs a resource command; undefined when `args` is not one (the caller tries its own). */
export async function runResourceCommand(deps: ResourceCommandDeps, args: string[]): Promise<unknown> {
  const [command, tenant, kindArg, name, version] = args
  const { resources } = deps.apply
  const key = () => ({ tenantId: tenant!, kind: kindArgument(kindArg), name: name! })
  switch (command) {
    case 'apply': {
      if (!tenant) throw new AppError('request.invalid', 'apply needs a file')
      const applied = await applyDocuments(deps.apply, 'cli', parseResourceDocuments(readFileSync(tenant, 'utf8'), tenant))
      return applied.map((a) => ({ ...resourceView(a.resource), changed: a.changed }))
    }
    case 'resources':
      return (await resources.list(tenant ?? '*', kindArgument(kindArg))).map(resourceView)
    case 'history': {
      const history = await resources.history(key())
      return history.map((r, i) => ({ ...resourceView(r), changes: diffSpecs(history[i + 1]?.spec ?? {}, r.spec ?? {}) }))
    }
    case 'rollback': {
      const old = await resources.version(key(), Number(version))
      if (!old?.spec) throw new AppError('not_found', `${kindArg} ${name} has no version ${version}`)
      const { kind } = key()
      // A platform kind's spec names no tenant.
      const spec = KINDS[kind].scope === 'platform' ? old.spec : { ...old.spec, tenant }
      const applied = await applyResource(deps.apply, { kind: 'operator', by: 'cli' }, { kind, name: name!, spec, comment: `restored from version ${version}` })
      return { ...resourceView(applied.resource), changed: applied.changed }
    }
    case 'put-secret': {
      if (!tenant || !kindArg) throw new AppError('request.invalid', 'put-secret needs a tenant id and a name')
      await deps.storage.secrets.put(tenant, kindArg, (await deps.readSecret()).trim(), 'cli')
      return { tenant, name: kindArg, stored: true }
    }
    default:
      return undefined
  }
}
