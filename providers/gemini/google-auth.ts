// Google credentials for the Vertex AI adapters (Gemini and Anthropic on Vertex), as the AuthClient both
// SDKs accept: a fixed OAuth access token, or Application Default Credentials resolved per request.

import { GoogleAuth } from 'google-auth-library'

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform'

/** The part of google-auth-library's AuthClient that both Vertex SDKs call. */
interface RequestHeadersClient {
  getRequestHeaders(url?: string | URL): Promise<Headers>
}

/**
 * With `accessToken`, every request carries `Authorization: Bearer …` and the token is never refreshed
 * (an emulator, an auth-injecting proxy, a token a sidecar rotates by rebuilding the provider). Without
 * it, Application Default Credentials are looked up on each request until one succeeds: AnthropicVertex
 * otherwise starts that lookup in its constructor and keeps the first result, so one failed lookup (a
 * metadata server blip) would break the client for good, or end the process as an unhandled rejection.
 *
 * `T` is the SDK's own AuthClient option type. The SDKs call only `getRequestHeaders`, so this is a
 * structural stand-in rather than a subclass of google-auth-library's abstract AuthClient.
 */
export function vertexAuthClient<T>(accessToken?: string): T {
  const client: RequestHeadersClient = accessToken
    ? { getRequestHeaders: async () => new Headers({ authorization: `Bearer ${accessToken}` }) }
    : adcClient()
  return client as unknown as T
}

function adcClient(): RequestHeadersClient {
  // GoogleAuth caches a resolved client but forgets a failed lookup, so the next request tries again.
  const auth = new GoogleAuth({ scopes: CLOUD_PLATFORM_SCOPE })
  return { getRequestHeaders: async (url) => (await auth.getClient()).getRequestHeaders(url) }
}
