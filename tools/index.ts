// Tools: the registry, the executor (exactly-once WRITEs), HTTP and MCP tool kinds, the retail demo
// backend and the Operate-level workflows. Owns the MCP SDK; reaches Postgres only through storage/.

/**
 * Creates a registry of tools by name, each with a compiled argument validator.
 * @example
 * const registry = createToolRegistry([...RETAIL_TOOLS])
 * registry.addSource(await connectMcpServer({ name: 'crm', transport: { kind: 'http', url } }))
 * const offered = registry.specs() // name, description, type, JSON Schema parameters
 */
export { createToolRegistry, type ToolRegistry, type ToolSource, type RegisteredTool } from './registry.ts'

/**
 * Creates the executor. `executeTool({ tool, args, idempotencyKey })` never throws; it resolves to
 * `{ ok: true, output }` or `{ ok: false, error: { code, message, retryable } }` (the tool pool's
 * `PoolResults['tool.invoke']`). A WRITE runs at most once per key; a repeat resolves to the recorded
 * result with `replayed: true`.
 * @example
 * const { executeTool } = createToolExecutor({ registry, sql })
 * await executeTool({ tool: 'cancel_pending_order', args: { order_id: '#W4923227', reason: 'no longer needed' }, idempotencyKey: msg.id })
 */
export { createToolExecutor, type ToolExecutor, type ToolExecutorOptions } from './executor.ts'

/** Typed constructors for in-process and HTTP tool declarations. */
export { defineTool, defineHttpTool } from './define.ts'

/** Connects an MCP server (stdio or streamable HTTP) and exposes its tools as a registry source. */
export { connectMcpServer, type McpServerOptions, type McpTransportOptions } from './mcp-source.ts'

/** Converts a plain JSON Schema (as MCP servers declare) into TypeBox for validation. */
export { fromJsonSchema } from './validate.ts'

/**
 * The retail demo backend: τ²-bench's 16 tools, plus `send_password_reset` and the internal workflow
 * tools (`RETAIL_TOOLS`), and the idempotent seed from data/retail/db.json.
 * @example
 * await seedRetail(sql) // true on first start, false afterwards
 */
export { RETAIL_TOOLS, TAU2_RETAIL_TOOLS, seedRetail, DEFAULT_RETAIL_DB_PATH, type RetailDb, type SeedOptions } from './retail/index.ts'

/**
 * Runs a workflow step by step with confirmation and approval hooks and compensation on failure.
 * @example
 * const run = await runWorkflow(refundWorkflow, { orderId, itemIds, paymentMethodId }, { executor, hooks, runId })
 */
export {
  runWorkflow,
  type Workflow,
  type WorkflowStep,
  type WorkflowHooks,
  type WorkflowRun,
  type DecisionPoint,
} from './workflows/engine.ts'

/** The refund, account-change and billing-dispute workflows on the retail backend. */
export {
  refundWorkflow,
  accountChangeWorkflow,
  billingDisputeWorkflow,
  type RefundInput,
  type AccountChangeInput,
  type BillingDisputeInput,
} from './workflows/retail-workflows.ts'

/** Declarations and results shared by every tool kind. */
export type {
  ToolType,
  ToolDefinition,
  FunctionTool,
  HttpTool,
  McpTool,
  ToolContext,
  ToolSpec,
  ToolCall,
  ToolResult,
  Tx,
} from './types.ts'
