// The quick start's demo tenant: created on boot, with SWITCHBOARD_DEMO_API_KEY as its key when set, else
// with a generated key that is returned (to print once) only when the tenant has no live key yet. Its
// knowledge base (the retail policy and help articles) is imported on every boot; unchanged files stay as they are.
import { ensureDemoKnowledge } from '../knowledge/index.ts'
import { SCOPES, type Storage } from '../storage/index.ts'

export const DEMO_TENANT_ID = 'demo'

export async function ensureDemoTenant(
  storage: Pick<Storage, 'tenants' | 'apiKeys' | 'knowledge'>, demoApiKey?: string,
): Promise<{ tenantId: string; newKey?: string }> {
  await storage.tenants.ensure({ id: DEMO_TENANT_ID, name: 'Demo retail store' })
  await ensureDemoKnowledge(storage.knowledge, DEMO_TENANT_ID)
  if (demoApiKey) {
    await storage.apiKeys.issue(DEMO_TENANT_ID, [...SCOPES], { name: 'demo (SWITCHBOARD_DEMO_API_KEY)', value: demoApiKey })
    return { tenantId: DEMO_TENANT_ID }
  }
  if ((await storage.apiKeys.countLive(DEMO_TENANT_ID)) > 0) return { tenantId: DEMO_TENANT_ID }
  const issued = await storage.apiKeys.issue(DEMO_TENANT_ID, [...SCOPES], { name: 'demo (generated at first start)' })
  return { tenantId: DEMO_TENANT_ID, newKey: issued.key }
}
