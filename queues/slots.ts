// A counting semaphore for active actors: the backpressure point of a worker process.

export interface Slots {
  /** Resolves when a slot is free; `makeRoom` is asked to free one (evict an idle actor) first. */
  acquire(makeRoom: () => boolean): Promise<void>
  release(): void
  /** Slots no one holds. */
  free(): number
  waiting(): number
  /** Rejects every waiter (shutdown). */
  cancelWaiters(): void
}

export function createSlots(capacity: number): Slots {
  let used = 0
  const waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = []
  return {
    acquire(makeRoom) {
      if (used < capacity) {
        used++
        return Promise.resolve()
      }
      makeRoom()
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }))
    },
    release() {
      const next = waiters.shift()
      if (next) next.resolve()
      else used--
    },
    free: () => capacity - used,
    waiting: () => waiters.length,
    cancelWaiters() {
      for (const w of waiters.splice(0)) w.reject(new Error('actor host is closing'))
    },
  }
}
