// The console's first screen in Debian's Chromium: from navigation to the inbox rendered with its rows, for a tenant
// with 1,000 open handoffs (each with a package), next to a tenant with none in the same run. Also the inbox API
// call alone. `bun bench/console.ts [open conversations]`; the last stdout line is the JSON result.
import { loadConfig } from '../lib/config.ts'
import { startPlatform } from '../platform.ts'
import { launchChromium } from '../test/console/browser.ts'
import { createBenchEnv, databaseUrl, deleteKeys, percentile, progress, redisUrl, round } from './support.ts'
import type { Page } from 'playwright-core'

const OPEN = Number(process.argv[2] ?? 1000)
const ROUNDS = 7
const PASSWORD = 'bench password, long enough'

const env = await createBenchEnv('console')
const config = loadConfig({
  ROLE: 'api', QUEUE_PREFIX: env.prefix, DATABASE_SCHEMA: env.schema, DATABASE_URL: databaseUrl(), REDIS_URL: redisUrl(),
  PORT: '0', LOG_LEVEL: 'error', CONSOLE_SLA_SWEEP_MS: '0',
})
const platform = await startPlatform(config)
platform.app!.listen({ hostname: '127.0.0.1', port: 0 })
const base = `http://127.0.0.1:${platform.app!.server!.port}`
const { storage } = platform

async function seed(tenantId: string, open: number): Promise<void> {
  await storage.tenants.create({ id: tenantId, name: tenantId })
  const [queue] = await storage.handoffQueues.ensure(tenantId)
  await storage.consolePeople.create({ tenantId, email: 'agent@bench.example', name: 'Bench agent', role: 'agent', passwordHash: await Bun.password.hash(PASSWORD) })
  if (open === 0) return
  const pkg = { version: 1, reason: { code: 'agent.escalated', detail: 'customer_requested_human', category: 'customer_asked', label: 'Customer asked for a person' },
    policyRule: null, summary: 'Customer: "Where is my order? I want to talk to a human." The AI agent took no action.',
    intent: { name: 'track_order', confidence: 0.9 }, sentiment: { score: -0.3, label: 'negative', trend: 'steady' },
    customer: { name: 'Bench Customer' }, actions: [], failures: [], ticket: { intent: 'track_order', priority: 'high', sentiment: 'negative' },
    completeness: { score: 0.8, missing: ['customer'] } }
  await storage.sql`insert into conversations (id, tenant_id, status) select ${tenantId} || '-c' || g, ${tenantId}, 'escalated' from generate_series(1, ${open}) g`
  await storage.sql`insert into escalations (id, conversation_id, reason, detail, category, package, completeness, queue_id, priority,
      first_response_due_at, resolution_due_at, created_at)
    select ${tenantId} || '-e' || g, ${tenantId} || '-c' || g, 'agent.escalated', 'customer_requested_human', 'customer_asked', ${storage.sql.json(pkg)},
      0.8, ${queue!.id}, g % 4, now() + (g || ' seconds')::interval, now() + interval '1 hour', now() - (g || ' seconds')::interval
    from generate_series(1, ${open}) g`
}

async function signIn(page: Page, tenantId: string): Promise<void> {
  await page.context().clearCookies()
  await page.goto(`${base}/console`)
  await page.getByLabel('Tenant').fill(tenantId)
  await page.getByLabel('Email').fill('agent@bench.example')
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: /Inbox/ }).waitFor()
}

/** Milliseconds from navigation start until the inbox heading and (when any) its first row are on screen. */
async function firstScreen(page: Page, rows: boolean): Promise<number> {
  await page.goto('about:blank')
  await page.goto(`${base}/console`)
  await page.waitForSelector(rows ? 'tbody tr' : 'h1#inbox-title', { timeout: 30_000 })
  return page.evaluate(() => performance.now())
}

async function measure(tenantId: string, rows: boolean): Promise<{ screen: number[]; api: number[] }> {
  const page = await browser.context.newPage()
  await signIn(page, tenantId)
  const screen: number[] = []
  const api: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    screen.push(await firstScreen(page, rows))
    api.push(await page.evaluate(async () => {
      const started = performance.now()
      await (await fetch('/console/api/inbox')).json()
      return performance.now() - started
    }))
  }
  await page.close()
  return { screen: screen.sort((a, b) => a - b), api: api.sort((a, b) => a - b) }
}

progress(`seeding ${OPEN} open handoffs`)
await seed('bench-full', OPEN)
await seed('bench-empty', 0)
const browser = await launchChromium()
try {
  await measure('bench-empty', false) // warms the page build and the browser
  const empty = await measure('bench-empty', false)
  const full = await measure('bench-full', true)
  progress(`empty: ${empty.screen.map((n) => round(n, 0)).join(', ')} ms; ${OPEN} open: ${full.screen.map((n) => round(n, 0)).join(', ')} ms`)
  console.log(JSON.stringify({
    bench: 'console', open_conversations: OPEN,
    first_screen_ms_p50: round(percentile(full.screen, 50)), first_screen_ms_max: round(full.screen.at(-1)!),
    inbox_api_ms_p50: round(percentile(full.api, 50)),
    baseline_empty_first_screen_ms_p50: round(percentile(empty.screen, 50)), baseline_empty_inbox_api_ms_p50: round(percentile(empty.api, 50)),
  }))
} finally {
  await browser.close()
  await platform.close()
  const Redis = (await import('ioredis')).default
  const redis = new Redis(redisUrl())
  await deleteKeys(env.prefix, redis)
  redis.disconnect()
  await env.cleanup()
}
