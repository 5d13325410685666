// One provider call's deadline and cancellation: combines the caller's signal with `timeoutMs`, and
// remembers which one fired so a timeout is retryable while a caller's abort is not.

import type { ProviderRequest } from './provider.ts'

export class CallScope {
  private readonly controller = new AbortController()
  private readonly timer: ReturnType<typeof setTimeout> | undefined
  private timedOutFlag = false
  private readonly detach: () => void

  constructor(req: ProviderRequest, defaultTimeoutMs: number) {
    const timeoutMs = req.timeoutMs ?? defaultTimeoutMs
    if (timeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.timedOutFlag = true
        this.controller.abort(new Error(`timed out after ${timeoutMs} ms`))
      }, timeoutMs)
    }
    const caller = req.signal
    const onAbort = () => this.controller.abort(caller?.reason)
    if (caller?.aborted) onAbort()
    caller?.addEventListener('abort', onAbort, { once: true })
    this.detach = () => caller?.removeEventListener('abort', onAbort)
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  timedOut(): boolean {
    return this.timedOutFlag
  }

  callerAborted(): boolean {
    return this.controller.signal.aborted && !this.timedOutFlag
  }

  /** Ends the call: stops the timer and aborts the request so an abandoned stream frees its socket. */
  dispose(): void {
    clearTimeout(this.timer)
    this.detach()
    if (!this.controller.signal.aborted) this.controller.abort(new Error('call finished'))
  }
}
