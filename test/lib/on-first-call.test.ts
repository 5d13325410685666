// A process loads a vendor's SDK, the S3 client, the tracing SDK, the MCP SDK or the ClickHouse client only when it
// is set up to use them: every module loaded stays in the heap that each full collection walks. Checked in a fresh
// process, by the packages its imports and requires asked for.
import { expect, test } from 'bun:test'
import { join } from 'node:path'
import { onFirstCall } from '../../lib/on-first-call.ts'

const ROOT = join(import.meta.dir, '..', '..')
const SDKS = [
  'openai', '@anthropic-ai/sdk', '@google/genai', '@aws-sdk/client-bedrock-runtime', '@aws-sdk/client-s3', '@opentelemetry/sdk-trace-node',
  '@modelcontextprotocol/sdk', '@clickhouse/client', '@anthropic-ai/bedrock-sdk', '@anthropic-ai/vertex-sdk', 'google-auth-library',
]

/** Runs `script` in a new Bun process at the project root and returns which of SDKS it loaded. */
async function sdksLoadedBy(script: string): Promise<string[]> {
  // Imports pass the resolver, where the plugin notes the SDKs and lets each resolve as usual; required modules are
  // in require.cache.
  const probe = `const sdks = ${JSON.stringify(SDKS)}
    const asked = new Set()
    Bun.plugin({ name: 'probe', setup(build) {
      build.onResolve({ filter: /^[@a-z]/ }, (args) => { const sdk = sdks.find((s) => args.path === s || args.path.startsWith(s + '/')); if (sdk) asked.add(sdk) })
    } })
    ${script}
    const required = Object.keys(require.cache)
    console.log(JSON.stringify(sdks.filter((s) => asked.has(s) || required.some((path) => path.includes('/node_modules/' + s + '/')))))`
  const proc = Bun.spawn([process.execPath, '-e', probe], { cwd: ROOT, stdout: 'pipe', stderr: 'pipe' })
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  if (code !== 0) throw new Error(err)
  return JSON.parse(out.trim().split('\n').at(-1)!)
}

// What main.ts imports (importing main.ts itself would start the platform).
const ENTRY = ['./lib/config.ts', './lib/log.ts', './platform.ts', './platform-resources.ts', './platform-arena-cli.ts', './platform-arena.ts', './platform-routing.ts',
  './api/index.ts', './queues/index.ts', './storage/index.ts', './providers/index.ts', './lib/telemetry.ts']

test('the platform loads none of these SDKs until something it is set up with uses one', async () => {
  const imports = ENTRY.map((m) => `await import('${m}')`).join('\n')
  expect(await sdksLoadedBy(imports)).toEqual([])
  // The probe sees an SDK once something uses it: an OpenAI provider, an S3 store, test tracing.
  expect(await sdksLoadedBy(`${imports}
    const { createProvider } = await import('./providers/index.ts')
    createProvider({ vendor: 'openai', apiKey: 'sk-test' })
    const { createS3BlobStore } = await import('./storage/index.ts')
    createS3BlobStore({ bucket: 'b', region: 'us-east-1' })
    const { installTestTracing } = await import('./lib/telemetry.ts')
    await installTestTracing().uninstall()`)).toEqual(['openai', '@aws-sdk/client-s3', '@opentelemetry/sdk-trace-node'])
}, 20_000)

test("Claude on Bedrock or Vertex loads its SDK on the provider's first call, and Claude direct never does", async () => {
  const providers = `const { createProvider } = await import('./providers/index.ts')
    createProvider({ vendor: 'anthropic', apiKey: 'sk-test' })
    const onBedrock = createProvider({ vendor: 'anthropic-bedrock', region: 'us-east-1', baseUrl: 'http://127.0.0.1:9', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
    const onVertex = createProvider({ vendor: 'anthropic-vertex', region: 'us-east5', projectId: 'p', baseUrl: 'http://127.0.0.1:9/v1', accessToken: 't' })`
  expect(await sdksLoadedBy(providers)).toEqual(['@anthropic-ai/sdk'])
  // A first call loads the SDK whether or not it reaches the vendor (port 9 refuses it).
  const request = `{ model: 'claude', system: 'x', messages: [{ role: 'user', content: 'hi' }], tools: [] }`
  expect(await sdksLoadedBy(`${providers}
    await onBedrock.complete(${request}).catch(() => {})
    await onVertex.complete(${request}).catch(() => {})`)).toEqual(['@anthropic-ai/sdk', '@aws-sdk/client-bedrock-runtime', '@anthropic-ai/bedrock-sdk', '@anthropic-ai/vertex-sdk', 'google-auth-library'])
}, 20_000)

test('onFirstCall loads once, on the first call, and passes arguments and results through', () => {
  let loads = 0
  const add = onFirstCall(() => (loads++, (a: number, b: number) => a + b))
  expect(loads).toBe(0)
  expect(add(2, 3)).toBe(5)
  expect(add(4, 5)).toBe(9)
  expect(loads).toBe(1)
})
