// Fetches one knowledge page over HTTP(S) for the re-index job, defensively: one deadline for the whole
// exchange, a byte cap enforced while reading, only text content types, redirects followed by hand (at most
// 5) with every hop's address checked, and private or loopback addresses refused unless allowed, so a URL
// list cannot reach the cloud metadata service or the cluster's own services. Errors name the host and path,
// never the query string (it may hold a token).
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { AppError, RetryableError, TerminalError } from '../lib/errors.ts'
import type { ArticleFormat } from './document.ts'
import { isPublicAddress } from './public-address.ts'

export interface FetchPageOptions {
  /** For the whole exchange: connect, redirects, headers and body. */
  timeoutMs: number
  /** Largest body read, in bytes. */
  maxBytes: number
  /** Allow private, loopback and link-local addresses (tests, intranet help centres). */
  allowPrivate: boolean
}

export interface FetchedPage {
  format: ArticleFormat
  content: string
  /** Where the page was found after redirects. */
  url: string
}

const MAX_REDIRECTS = 5
const FORMATS: Record<string, ArticleFormat> = {
  'text/html': 'html', 'application/xhtml+xml': 'html', 'text/markdown': 'markdown', 'text/x-markdown': 'markdown', 'text/plain': 'markdown',
}
const where = (url: URL) => `${url.host}${url.pathname}`

/** Parses and vets a URL: http(s), no credentials, and a public address unless private ones are allowed. */
async function checkUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  const url = URL.canParse(raw) ? new URL(raw) : undefined
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new TerminalError('knowledge.fetch_blocked', 'only http and https URLs are fetched')
  if (url.username || url.password) throw new TerminalError('knowledge.fetch_blocked', 'URLs with credentials are not fetched')
  if (allowPrivate) return url
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const addresses = isIP(host) ? [host] : await lookup(host, { all: true }).then((all) => all.map((a) => a.address), () => {
    throw new RetryableError('knowledge.fetch_failed', `${url.host} could not be resolved`)
  })
  if (!addresses.every(isPublicAddress)) throw new TerminalError('knowledge.fetch_blocked', `${url.host} is a private address`)
  return url
}

function formatOf(response: Response, url: URL): ArticleFormat {
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  const format = FORMATS[type]
  if (!format) throw new TerminalError('knowledge.unsupported_type', `${where(url)} is ${type || 'untyped'}, not HTML, Markdown or text`)
  return format
}

async function readCapped(response: Response, url: URL, maxBytes: number): Promise<string> {
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) throw new TerminalError('knowledge.too_large', `${where(url)} is larger than ${maxBytes} bytes`)
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = response.body?.getReader()
  for (let read = await reader?.read(); read && !read.done; read = await reader!.read()) {
    size += read.value.byteLength
    if (size > maxBytes) {
      await reader!.cancel()
      throw new TerminalError('knowledge.too_large', `${where(url)} is larger than ${maxBytes} bytes`)
    }
    chunks.push(read.value)
  }
  const charset = /charset=["']?([\w-]+)/i.exec(response.headers.get('content-type') ?? '')?.[1] ?? 'utf-8'
  const decoder = (() => { try { return new TextDecoder(charset) } catch { return new TextDecoder() } })()
  return decoder.decode(Buffer.concat(chunks))
}

function statusError(response: Response, url: URL): AppError {
  const message = `${where(url)} answered ${response.status}`
  if (response.status !== 429 && response.status < 500) return new TerminalError('knowledge.fetch_failed', message)
  const seconds = Number(response.headers.get('retry-after'))
  return new RetryableError('knowledge.fetch_failed', message, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined)
}

async function exchange(start: string, o: FetchPageOptions, signal: AbortSignal): Promise<FetchedPage> {
  let url = await checkUrl(start, o.allowPrivate)
  for (let hop = 0; ; hop++) {
    const response = await fetch(url, {
      redirect: 'manual', signal, headers: { accept: 'text/html, text/markdown;q=0.9, text/plain;q=0.8', 'user-agent': 'Switchboard-Knowledge/1' },
    })
    const location = response.headers.get('location')
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel()
      if (hop >= MAX_REDIRECTS) throw new TerminalError('knowledge.fetch_failed', `${where(url)} redirects more than ${MAX_REDIRECTS} times`)
      url = await checkUrl(new URL(location, url).href, o.allowPrivate)
      continue
    }
    if (!response.ok) throw (await response.body?.cancel(), statusError(response, url))
    const format = formatOf(response, url)
    return { format, content: await readCapped(response, url, o.maxBytes), url: url.href }
  }
}

/** Fetches a page; Terminal errors will fail again, Retryable ones may not. */
export async function fetchPage(url: string, options: FetchPageOptions): Promise<FetchedPage> {
  const signal = AbortSignal.timeout(options.timeoutMs)
  try {
    return await exchange(url, options, signal)
  } catch (e) {
    if (e instanceof AppError) throw e
    if (signal.aborted) throw new RetryableError('knowledge.fetch_timeout', `no complete answer within ${options.timeoutMs} ms`)
    throw new RetryableError('knowledge.fetch_failed', `the request failed: ${(e as Error).message}`)
  }
}
