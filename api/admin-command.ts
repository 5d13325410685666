// `bun main.ts admin …`: the operator's tenant, key, customer-privacy and KPI commands, for when the admin API is
// off. Prints JSON.
import { importFolder } from '../knowledge/index.ts'
import { AppError } from '../lib/errors.ts'
import { RESOURCE_NAME_PATTERN } from '../resources/index.ts'
import { SCOPES, type DequeueConversations, type Scope, type Storage } from '../storage/index.ts'
import { TENANT_ID_PATTERN } from './routes/admin.ts'
import { KB_NAME_PATTERN } from './routes/knowledge.ts'
import { assertTenantCustomer, CUSTOMER_ID_PATTERN } from './routes/customers.ts'
import { RESOURCE_USAGE, runResourceCommand, type ResourceCommandDeps } from './resource-commands.ts'

export const ADMIN_USAGE = `usage: npm run -s admin -- <command>   (or: npx bun main.ts admin <command>)
  create-tenant <name> [--id <tenant id>] [--rate <requests per second>]
  list-tenants
  create-key <tenant id> [--scopes channel,console,admin] [--name <label>]
  list-keys <tenant id>
  revoke-key <tenant id> <key id>
  export-customer <tenant id> <customer id>
  erase-customer <tenant id> <customer id> [--reason <why>]
  import-knowledge <tenant id> <knowledge base> <folder> [--keep-missing]
  kpis rejudge [--tenant <tenant id>] [--agent <agent name>]   (after changing a KPI_* setting; workers judge them)
${RESOURCE_USAGE}`

export interface AdminDeps extends ResourceCommandDeps {
  storage: Pick<Storage, 'tenants' | 'apiKeys' | 'customers' | 'eraseCustomer' | 'exportCustomer' | 'secrets' | 'knowledge' | 'kpiOutcomes'>
  /** Sweeps an erased customer's conversations out of the queues. */
  dequeue: DequeueConversations
  /** Where a long command reports how far it got (the CLI: stderr, so stdout stays one JSON document). */
  progress?(line: string): void
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}

function parseScopes(value: string | undefined): Scope[] {
  const scopes = (value ?? 'channel').split(',').map((s) => s.trim())
  const bad = scopes.filter((s) => !SCOPES.includes(s as Scope))
  if (bad.length > 0) throw new AppError('request.invalid', `unknown scope ${bad.join(', ')} (use ${SCOPES.join(', ')})`)
  return scopes as Scope[]
}

function idArgument(what: string, pattern: string, value: string | undefined): string {
  if (!value || !new RegExp(pattern).test(value)) throw new AppError('request.invalid', `a ${what} id must match ${pattern}`)
  return value
}
const tenantId = (value: string | undefined) => idArgument('tenant', TENANT_ID_PATTERN, value)
const customerId = (value: string | undefined) => idArgument('customer', CUSTOMER_ID_PATTERN, value)

/** Runs one admin command; returns what to print. */
export async function runAdminCommand(deps: AdminDeps, args: string[]): Promise<unknown> {
  const { storage } = deps
  const [command, first, second] = args
  switch (command) {
    case 'create-tenant': {
      if (!first) throw new AppError('request.invalid', ADMIN_USAGE)
      const id = flag(args, 'id')
      const tenant = await storage.tenants.create({ id: id && tenantId(id), name: first, rateLimitPerS: Number(flag(args, 'rate')) || undefined })
      if (!tenant) throw new AppError('conflict', `tenant ${id} already exists`)
      const issued = await storage.apiKeys.issue(tenant.id, [...SCOPES], { name: 'initial admin key' })
      return { tenant, key: issued.key, keyId: issued.record.id }
    }
    case 'list-tenants':
      return storage.tenants.list()
    case 'create-key': {
      const issued = await storage.apiKeys.issue(tenantId(first), parseScopes(flag(args, 'scopes')), { name: flag(args, 'name') })
      return { key: issued.key, keyId: issued.record.id, scopes: issued.record.scopes }
    }
    case 'list-keys':
      return storage.apiKeys.list(tenantId(first))
    case 'revoke-key':
      if (!second || !(await storage.apiKeys.revoke(tenantId(first), second))) throw new AppError('not_found', `key ${second} not found`)
      return { id: second, revoked: true }
    case 'export-customer': {
      const id = customerId(second)
      await assertTenantCustomer(storage, tenantId(first), id)
      return storage.exportCustomer(id)
    }
    case 'erase-customer': {
      const id = customerId(second)
      await assertTenantCustomer(storage, tenantId(first), id)
      return storage.eraseCustomer(id, { actor: 'admin-cli', reason: flag(args, 'reason') }, deps.dequeue)
    }
    case 'import-knowledge':
      return importKnowledge(storage, tenantId(first), args)
    case 'kpis':
      if (first !== 'rejudge') throw new AppError('request.invalid', ADMIN_USAGE)
      return rejudgeKpis(deps, args)
    default: {
      const done = await runResourceCommand(deps, args)
      if (done === undefined) throw new AppError('request.invalid', ADMIN_USAGE)
      return done
    }
  }
}

/** Imports a folder of .md/.html files into the knowledge base (created if missing); without --keep-missing, articles of files gone are deleted. */
async function importKnowledge(storage: AdminDeps['storage'], tenant: string, args: string[]): Promise<unknown> {
  const [, , name, root] = args
  if (!name || !new RegExp(KB_NAME_PATTERN).test(name) || !root) throw new AppError('request.invalid', ADMIN_USAGE)
  if (!(await storage.tenants.get(tenant))) throw new AppError('not_found', `tenant ${tenant} not found`)
  const kb = await storage.knowledge.bases.ensure(tenant, { name })
  return { knowledgeBase: name, ...(await importFolder(storage.knowledge, kb.id, { root, prune: !args.includes('--keep-missing') })) }
}

/**
 * Marks the conversations for judging again, so every judged row follows the KPI settings in force. The workers'
 * sweeps judge them once the marks settle (a KPI read judges its tenant's at once); it judges nothing itself, so it
 * needs none of the settings, only workers already restarted with the new ones.
 */
async function rejudgeKpis(deps: AdminDeps, args: string[]): Promise<unknown> {
  // A mistyped filter must not widen the command to every conversation.
  const options = args.slice(2)
  if (options.length % 2 !== 0 || options.some((a, i) => i % 2 === 0 && a !== '--tenant' && a !== '--agent')) throw new AppError('request.invalid', ADMIN_USAGE)
  const tenant = args.includes('--tenant') ? tenantId(flag(args, 'tenant')) : undefined
  const agent = flag(args, 'agent')
  if (args.includes('--agent') && !new RegExp(RESOURCE_NAME_PATTERN).test(agent ?? '')) throw new AppError('request.invalid', `an agent name must match ${RESOURCE_NAME_PATTERN}`)
  if (tenant !== undefined && !(await deps.storage.tenants.get(tenant))) throw new AppError('not_found', `tenant ${tenant} not found`)
  // One line per batch of 10,000 before the last: a short run prints only its result.
  const marked = await deps.storage.kpiOutcomes.markAll({ tenantId: tenant, agent }, {
    batchSize: 10_000,
    progress: (done, total) => void (done < total && deps.progress?.(`marked ${done} of ${total} conversations`)),
  })
  return { marked, ...(tenant ? { tenant } : {}), ...(agent ? { agent } : {}), judgedBy: 'the workers\' KPI sweeps, once the marks settle (KPI_SETTLE_MS)' }
}
