// Public surface of the vendor API emulator: used by provider tests, benchmarks and `bun emulator/main.ts`.

export type { VendorEmulator } from './server.ts'
/**
 * Starts the loopback vendor API emulator.
 *
 * @example
 * const emu = createVendorEmulator()
 * emu.script({ reply: { text: 'Hello' } }, { fault: { kind: 'status', status: 429, retryAfterSeconds: 2 } })
 * const client = new OpenAI({ baseURL: `${emu.url}/v1`, apiKey: 'test', maxRetries: 0 })
 * await emu.close()
 */
export { createVendorEmulator } from './server.ts'
/** Base URLs to hand each vendor SDK for a running emulator. */
export { vendorBaseUrls } from './server.ts'
/** Encodes AWS event-stream frames; exported for tests of the framing itself. */
export { encodeEventMessage } from './event-stream.ts'
export type { EmulatedRequest, EmulatorOptions, Fault, Reply, Script, ScriptMatch, ScriptedToolCall, Vendor } from './types.ts'
