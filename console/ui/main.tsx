// The console page: signs the person in, then routes (by the URL hash) between the inbox, a conversation, its turns'
// "why" views, the QA queue, the Arena and the KPIs. Built by console/build.ts into one script and one stylesheet.
import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { api, useCsrfToken, whenSignedOut } from './api.ts'
import { ArenaReportView, ArenaRunsView } from './arena.tsx'
import { ConversationView } from './conversation.tsx'
import { InboxView } from './inbox.tsx'
import { KpisView } from './kpis.tsx'
import { QaView } from './qa.tsx'
import { SignIn } from './sign-in.tsx'
import type { Person } from './types.ts'
import { WhyView } from './why.tsx'
import './styles.css'

function useHash(): string {
  const [hash, setHash] = useState(location.hash)
  useEffect(() => {
    const update = () => setHash(location.hash)
    addEventListener('hashchange', update)
    return () => removeEventListener('hashchange', update)
  }, [])
  return hash
}

/** Who may start Arena runs (the console API's MANAGERS). */
const MANAGES = new Set(['supervisor', 'admin'])

function Page({ person }: { person: Person }) {
  const hash = useHash()
  const [, route = '', a = '', b = ''] = hash.split('/')
  if (route === 'c' && a) {
    const [id = '', flag] = a.split('?')
    return <ConversationView id={decodeURIComponent(id)} person={person} focusReply={flag === 'reply'} />
  }
  if (route === 'why' && a && b) return <WhyView conversationId={decodeURIComponent(a)} turnId={decodeURIComponent(b)} />
  if (route === 'qa') return <QaView />
  if (route === 'kpis') return <KpisView />
  if (route === 'arena') return a ? <ArenaReportView id={decodeURIComponent(a)} canRun={MANAGES.has(person.role)} /> : <ArenaRunsView />
  return person.role === 'qa_reviewer' ? <QaView /> : <InboxView person={person} />
}

/** Available people get handoffs assigned round robin by queues that assign that way. */
function Availability({ person }: { person: Person }) {
  const [available, setAvailable] = useState(person.available)
  const toggle = (next: boolean) => void api<Person>('PUT', '/me/availability', { available: next }).then((p) => setAvailable(p.available)).catch(() => {})
  return (
    <label class="inline availability">
      <input type="checkbox" checked={available} onChange={(e) => toggle((e.target as HTMLInputElement).checked)} /> Available for assignment
    </label>
  )
}

function Header({ person, onSignOut }: { person: Person; onSignOut: () => void }) {
  const handles = person.role !== 'qa_reviewer'
  const reviews = person.role !== 'agent'
  return (
    <header class="top">
      <span class="brand">Switchboard console</span>
      <nav aria-label="Sections">
        {handles && <a href="#/">Inbox</a>}
        {reviews && <a href="#/qa">QA review</a>}
        {reviews && <a href="#/arena">Arena</a>}
        {reviews && <a href="#/kpis">KPIs</a>}
      </nav>
      {handles && <Availability person={person} />}
      <span class="who">{person.name} · {person.role.replace('_', ' ')}</span>
      <button type="button" onClick={onSignOut}>Sign out</button>
    </header>
  )
}

function App() {
  const [person, setPerson] = useState<Person | null | undefined>(undefined)
  useEffect(() => {
    whenSignedOut(() => setPerson(null))
    api<{ user: Person; csrfToken: string }>('GET', '/session')
      .then((s) => (useCsrfToken(s.csrfToken), setPerson(s.user)))
      .catch(() => setPerson(null))
  }, [])
  if (person === undefined) return <main id="main"><p role="status">Loading…</p></main>
  if (person === null) return <SignIn onSignedIn={(p, token) => (useCsrfToken(token), setPerson(p))} />
  const signOut = () => void api('POST', '/sign-out').finally(() => setPerson(null))
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <Header person={person} onSignOut={signOut} />
      <main id="main" tabIndex={-1}><Page person={person} /></main>
    </>
  )
}

render(<App />, document.getElementById('app')!)
