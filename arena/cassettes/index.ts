// Cassettes: provider responses recorded once and replayed offline at zero cost, with a warning when a prompt
// no longer matches its recording.

/**
 * A cassette file and the proxy that records into it or replays from it.
 * @example
 * const proxy = startCassetteProxy()
 * const baseUrl = proxy.route('openai', 'https://api.openai.com/v1') // give this to the provider
 * proxy.use({ kind: 'replay', cassette: await openCassette('cassettes/baseline.json'), slot: 'baseline.task-0.0' })
 */
export { openCassette, requestDigest, type Cassette, type CassetteEntry, type CassetteFile } from './cassette.ts'
export { startCassetteProxy, type CassetteProxy, type CassetteMode } from './cassette-proxy.ts'
