// Standalone emulator for developers: try providers, routing and fallback with no API keys.
// Usage: bun emulator/main.ts [--port 4010] [--latency-ms 0] [--per-token-ms 0]

import { parseArgs } from 'node:util'
import { createVendorEmulator, vendorBaseUrls } from './server.ts'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    'latency-ms': { type: 'string', default: '0' },
    'per-token-ms': { type: 'string', default: '0' },
  },
})

const emulator = createVendorEmulator({
  port: Number(values.port),
  latencyMs: Number(values['latency-ms']),
  perTokenMs: Number(values['per-token-ms']),
})

const bases = vendorBaseUrls(emulator.url)
console.log(`vendor emulator listening on ${emulator.url}
  openai / openai-compatible baseUrl: ${bases.openai}
  azure-openai endpoint:              ${bases.azureOpenai}
  anthropic baseUrl:                  ${bases.anthropic}
  anthropic-bedrock baseUrl:          ${bases.anthropicBedrock}
  anthropic-vertex baseUrl:           ${bases.anthropicVertex}
  gemini baseUrl:                     ${bases.gemini}
  gemini-vertex baseUrl:              ${bases.geminiVertex}
  bedrock endpoint:                   ${bases.bedrock}
Unscripted requests echo the last message. Inject faults or replies, e.g.:
  curl -X POST ${emulator.url}/_emulator/scripts -d '{"match":{"model":"flaky"},"repeat":true,"fault":{"kind":"status","status":503}}'
  curl -X POST ${emulator.url}/_emulator/scripts -d '{"fault":{"kind":"status","status":429,"retryAfterSeconds":2}}'
  curl ${emulator.url}/_emulator/requests     curl -X DELETE ${emulator.url}/_emulator/scripts`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void emulator.close().then(() => process.exit(0))
  })
}
