// Sign-in: tenant, email and password. The server answers with the session cookie and the CSRF token.
import { useState } from 'preact/hooks'
import { api, ApiError } from './api.ts'
import type { Person } from './types.ts'

export function SignIn({ onSignedIn }: { onSignedIn: (person: Person, csrfToken: string) => void }) {
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    const form = new FormData(event.target as HTMLFormElement)
    setBusy(true)
    setError('')
    try {
      const s = await api<{ user: Person; csrfToken: string }>('POST', '/sign-in', {
        tenant: form.get('tenant'), email: form.get('email'), password: form.get('password'),
      })
      onSignedIn(s.user, s.csrfToken)
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not reach the server')
    } finally {
      setBusy(false)
    }
  }
  return (
    <main id="main" class="sign-in">
      <h1>Sign in to the Switchboard console</h1>
      <form onSubmit={submit}>
        <label for="tenant">Tenant</label>
        <input id="tenant" name="tenant" required autoComplete="organization" defaultValue="demo" />
        <label for="email">Email</label>
        <input id="email" name="email" type="email" required autoComplete="username" />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" required autoComplete="current-password" />
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>Sign in</button>
      </form>
    </main>
  )
}
