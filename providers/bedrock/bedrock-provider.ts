// The Bedrock Converse adapter on `@aws-sdk/client-bedrock-runtime` (Converse and ConverseStream).
// A custom endpoint and static credentials let it run against the emulator; SDK retries are off.

import { BedrockRuntimeClient, BedrockRuntimeServiceException, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { TerminalError } from '../../lib/errors.ts'
import type { FailureFacts } from '../errors.ts'
import { retryAfterMs } from '../errors.ts'
import { guardProvider, type GuardOptions, type VendorAdapter } from '../guarded-provider.ts'
import type { Provider, ProviderRequest } from '../provider.ts'
import { toConverseInput } from './bedrock-request.ts'
import { fromConverse, fromStream } from './bedrock-response.ts'

export interface BedrockProviderOptions extends GuardOptions {
  /** @defaultValue 'bedrock' */
  name?: string
  region: string
  /** Custom endpoint, e.g. the emulator's URL or a VPC endpoint. */
  baseUrl?: string
  /** Static credentials; when absent the AWS default credential chain is used. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
}

export function createBedrockProvider(options: BedrockProviderOptions): Provider {
  const client = new BedrockRuntimeClient({
    region: options.region,
    maxAttempts: 1,
    // The client defaults to HTTP/2 (for bidirectional streams); Converse needs only HTTP/1.1, which
    // every endpoint (AWS, proxies, the loopback emulator) speaks.
    requestHandler: new NodeHttpHandler(),
    ...(options.baseUrl ? { endpoint: options.baseUrl } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  })
  const c = options.credentials
  const secrets = c ? [c.secretAccessKey, ...(c.sessionToken ? [c.sessionToken] : [])] : []
  return guardProvider(bedrockAdapter(options.name ?? 'bedrock', client, secrets), options)
}

function bedrockAdapter(name: string, client: BedrockRuntimeClient, secrets: string[]): VendorAdapter {
  return {
    name,
    secrets,
    describeError,
    async complete(req: ProviderRequest, signal: AbortSignal) {
      const out = await client.send(new ConverseCommand(toConverseInput(req)), { abortSignal: signal })
      return fromConverse(name, req.model, out)
    },
    async *stream(req: ProviderRequest, signal: AbortSignal) {
      const out = await client.send(new ConverseStreamCommand(toConverseInput(req)), { abortSignal: signal })
      if (!out.stream) throw new TerminalError('provider.malformed', `${name}: ConverseStream returned no stream`)
      yield* fromStream(name, req.model, out.stream)
    },
  }
}

// Errors raised inside a stream have no HTTP status; the modeled exception name says what it would be.
const NAME_STATUS: Record<string, number> = {
  ThrottlingException: 429,
  ServiceUnavailableException: 503,
  InternalServerException: 500,
  ModelStreamErrorException: 500,
  ModelNotReadyException: 503,
  ModelTimeoutException: 408,
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
}

function describeError(e: unknown): FailureFacts | undefined {
  if (!(e instanceof BedrockRuntimeServiceException)) return undefined
  const status = e.$metadata?.httpStatusCode ?? NAME_STATUS[e.name]
  const facts: FailureFacts = { message: `${e.name}: ${e.message}`, vendorCode: e.name }
  if (status !== undefined) facts.status = status
  const headers = e.$response?.headers
  const after = headers ? retryAfterMs((h) => headers[h]) : undefined
  if (after !== undefined) facts.retryAfterMs = after
  return facts
}
