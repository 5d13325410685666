// Natural batching: requests that arrive while a flush is running go out together in the next flush.
// No timer, so a lone request is never delayed; under load one statement carries many callers' rows.

export interface Batcher<In, Out> {
  /** Resolves with this request's outputs once the batch holding it is flushed. */
  submit(items: In[]): Promise<Out[]>
}

interface Pending<In, Out> {
  items: In[]
  done: ReturnType<typeof Promise.withResolvers<Out[]>>
}

/** `flush` gets every waiting item in submission order and must return one output per item, in that order. */
export function createBatcher<In, Out>(flush: (items: In[]) => Promise<Out[]>, maxItems = 1000): Batcher<In, Out> {
  let queue: Pending<In, Out>[] = []
  let running = false
  const drain = async (): Promise<void> => {
    running = true
    while (queue.length > 0) {
      const batch = take(queue, maxItems)
      queue = queue.slice(batch.length)
      try {
        const out = await flush(batch.flatMap((p) => p.items))
        let at = 0
        for (const p of batch) p.done.resolve(out.slice(at, (at += p.items.length)))
      } catch (e) {
        for (const p of batch) p.done.reject(e)
      }
    }
    running = false
  }
  return {
    submit(items) {
      const done = Promise.withResolvers<Out[]>()
      queue.push({ items, done })
      if (!running) void drain()
      return done.promise
    },
  }
}

/** Whole requests up to `maxItems` items (always at least one request). */
function take<In, Out>(queue: Pending<In, Out>[], maxItems: number): Pending<In, Out>[] {
  let count = 0
  let n = 0
  while (n < queue.length && (n === 0 || count + queue[n]!.items.length <= maxItems)) count += queue[n++]!.items.length
  return queue.slice(0, n)
}
