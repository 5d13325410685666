// The console page's only door to the server: JSON over same-origin fetch, the session cookie sent by the browser,
// and the session's CSRF token echoed on every write.

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message)
  }
}

let csrfToken = ''

/** Remembers the CSRF token the server gave with the session. */
export function useCsrfToken(token: string): void {
  csrfToken = token
}

/** Called when the session is gone (signed out elsewhere, expired): the app shows the sign-in form. */
let onSignedOut: () => void = () => {}
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler
}

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken
  const res = await fetch(`/console/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' })
  const payload = await res.json().catch(() => ({}))
  if (res.ok) return payload as T
  if (res.status === 401 && path !== '/sign-in') onSignedOut()
  const error = payload?.error ?? {}
  throw new ApiError(res.status, error.code ?? 'unknown', error.message ?? `request failed (${res.status})`)
}
