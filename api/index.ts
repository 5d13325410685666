// The HTTP API (Elysia). Sends through queues, reads from storage; never runs actors.
export { createApp, type App, type AppDeps, type ApiStorage } from './app.ts'
export { errorBody, type ErrorBody } from './errors.ts'
export { TENANT_ID_PATTERN } from './routes/admin.ts'
export { ensureDemoTenant, DEMO_TENANT_ID } from './tenancy.ts'
/** `bun main.ts admin …`: one operator command (tenants, keys, customers, knowledge, resources, KPI re-judging); returns what to print. */
export { runAdminCommand, ADMIN_USAGE, type AdminDeps } from './admin-command.ts'
export { applyResource, applyDocuments, type ApplyDeps, type Applier, type Applied, type BuiltinTool } from './resource-apply.ts'
/** The agent console's seams: its session lifetime and its built page. */
export type { ConsoleAsset, ConsoleOptions, LoadConsoleAssets } from './console/console-routes.ts'
export { ensureDemoConsoleAdmin } from './console/demo-admin.ts'
/** One agent's KPIs over a window (of one conversation type when named), as the KPI routes and the promotion gate read them. */
export { agentKpis } from './routes/kpis.ts'
