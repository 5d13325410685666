// Runs one re-index job: fetches its URLs, drops the URL articles no longer listed and re-chunks the other
// articles, a few items at a time. Every item is recorded as it completes, so a job interrupted anywhere (a
// crash, a shutdown) resumes with what is left. The item's recorded attempts are the one retry owner of a
// failing fetch; an infrastructure failure (Postgres down) fails the job's attempt, and the queue runs it again.
import { AppError, assertNever, RetryableError } from '../lib/errors.ts'
import type { Logger } from '../lib/log.ts'
import type { IndexItem, Knowledge } from '../storage/index.ts'
import { prepareArticle, type PrepareOptions } from './article.ts'
import { fetchPage, type FetchPageOptions } from './fetch-page.ts'
import { writeArticle } from './write-article.ts'

export interface ReindexOptions {
  fetch: FetchPageOptions
  prepare?: PrepareOptions
  /** Items worked on at once. @defaultValue 4 */
  concurrency?: number
  /** Attempts of an item whose fetch failed transiently. @defaultValue 3 */
  itemAttempts?: number
  /** First retry delay of such an item; quadruples per attempt, at most a minute. @defaultValue 2000 */
  retryDelayMs?: number
}

export interface JobAttempt {
  /** True on the queue's last attempt: a failure now fails the job. */
  final: boolean
  /** Aborted when the worker shuts down: the job stops between items. */
  signal: AbortSignal
}

/** `interrupted`: stopped by the signal with work left, to be resumed. */
export type ReindexResult = 'finished' | 'interrupted'

export interface ReindexRunner {
  run(jobId: string, attempt: JobAttempt): Promise<ReindexResult>
}

type Deps = { knowledge: Pick<Knowledge, 'jobs' | 'articles'>; log: Logger }

/** Aborts the wait when the signal fires. */
const pause = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const timer = setTimeout(done, ms)
  signal.addEventListener('abort', done, { once: true })
  function done() {
    clearTimeout(timer)
    signal.removeEventListener('abort', done)
    resolve()
  }
})

/** Hands out pending items one claim at a time, so two lanes never take the same one. */
function claimer(jobs: Knowledge['jobs'], jobId: string) {
  const inFlight = new Set<number>()
  let last: Promise<unknown> = Promise.resolve()
  const claim = () => {
    const next = last.then(async () => {
      const item = await jobs.next(jobId, [...inFlight])
      if (item) inFlight.add(item.seq)
      return item
    })
    last = next.catch(() => {})
    return next
  }
  return { claim, release: (seq: number) => void inFlight.delete(seq) }
}

export function createReindexRunner(deps: Deps, o: ReindexOptions): ReindexRunner {
  const { jobs, articles } = deps.knowledge
  const itemAttempts = o.itemAttempts ?? 3
  const retryDelayMs = o.retryDelayMs ?? 2000

  async function work(kbId: string, item: IndexItem): Promise<string> {
    switch (item.kind) {
      case 'fetch': {
        const page = await fetchPage(item.ref, o.fetch)
        const outcome = await writeArticle(articles, { kbId, source: 'url' }, { format: page.format, content: page.content, key: item.ref },
          { ...o.prepare, mode: 'upsert' })
        if (!outcome.ok) throw new AppError('conflict', `the article of ${item.ref} could not be written (${outcome.reason})`)
        return !outcome.changed ? 'unchanged' : outcome.article.version === 1 ? 'created' : 'updated'
      }
      case 'rechunk': {
        const article = await articles.get(kbId, item.ref)
        const current = article && !article.deletedAt ? await articles.version(kbId, item.ref, article.version) : undefined
        if (!current) return 'skipped'
        const { passages } = prepareArticle(item.ref, { format: current.format, content: current.content, title: current.title }, o.prepare)
        return (await articles.rechunk(kbId, item.ref, current.version, passages)) ? 'rechunked' : 'skipped'
      }
      case 'remove':
        await articles.remove(kbId, item.ref)
        return 'removed'
      default:
        return assertNever(item.kind)
    }
  }

  /** Records the item's outcome; rethrows what is not the item's own failure. */
  async function settle(jobId: string, kbId: string, item: IndexItem): Promise<void> {
    try {
      await jobs.complete(jobId, item.seq, await work(kbId, item))
    } catch (e) {
      if (!(e instanceof AppError) || !e.code.startsWith('knowledge.')) throw e
      const error = { code: e.code, message: e.message }
      if (!(e instanceof RetryableError) || item.attempts + 1 >= itemAttempts) return jobs.fail(jobId, item.seq, error)
      const delay = Math.max(Math.min(60_000, retryDelayMs * 4 ** item.attempts), e.retryAfterMs ?? 0)
      await jobs.defer(jobId, item.seq, new Date(Date.now() + delay), error)
    }
  }

  /** One of `concurrency` lanes: takes the next item nobody works on until none is left. */
  async function lane(jobId: string, kbId: string, claim: () => Promise<IndexItem | undefined>, release: (seq: number) => void,
    signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const item = await claim()
      if (!item) return
      // Held while it waits too, so no other lane takes the same item.
      try {
        const wait = item.notBefore ? item.notBefore.getTime() - Date.now() : 0
        await (wait > 0 ? pause(wait, signal) : settle(jobId, kbId, item))
      } finally {
        release(item.seq)
      }
    }
  }

  /** Runs the lanes; the first failure stops the others before it is rethrown, so no lane outlives the attempt. */
  async function lanes(jobId: string, kbId: string, signal: AbortSignal): Promise<void> {
    const stop = new AbortController()
    const onAbort = () => stop.abort()
    signal.addEventListener('abort', onAbort, { once: true })
    const { claim, release } = claimer(jobs, jobId)
    const results = await Promise.allSettled(Array.from({ length: o.concurrency ?? 4 }, () =>
      lane(jobId, kbId, claim, release, stop.signal).catch((e: unknown) => {
        stop.abort()
        throw e
      })))
    signal.removeEventListener('abort', onAbort)
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failure) throw failure.reason
  }

  return {
    async run(jobId, attempt) {
      const job = await jobs.start(jobId)
      if (!job) return 'finished'
      try {
        await lanes(jobId, job.kbId, attempt.signal)
      } catch (e) {
        if (attempt.final) await jobs.finish(jobId, 'failed', (e as Error).message).catch(() => {})
        throw e
      }
      if (attempt.signal.aborted) return 'interrupted'
      await jobs.finish(jobId, 'completed')
      deps.log.info('knowledge re-index finished', { jobId, knowledgeBase: job.knowledgeBase })
      return 'finished'
    },
  }
}
