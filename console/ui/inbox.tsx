// The inbox: queues with their counts, filters, handoffs most urgent first with their SLA clocks, and assist drafts
// waiting for a person. Keyboard: j/k move, e takes, r (or Enter) opens the conversation to reply.
import { useEffect, useRef, useState } from 'preact/hooks'
import { api, ApiError } from './api.ts'
import { REASON_CATEGORY_LABELS as CATEGORY_LABELS } from '../../lib/handoff-reasons.ts'
import { SlaClock, useNow } from './sla-clock.tsx'
import type { Inbox, InboxItem, Person } from './types.ts'

const REFRESH_MS = 5000

interface Filters {
  queue: string
  status: string
  category: string
  assignee: string
}

function query(f: Filters): string {
  const params = new URLSearchParams(Object.entries(f).filter(([, v]) => v !== ''))
  return params.size > 0 ? `?${params}` : ''
}

function useInbox(filters: Filters, person: Person) {
  const [inbox, setInbox] = useState<Inbox | null>(null)
  const [error, setError] = useState('')
  const load = async () => {
    const f = { ...filters, assignee: filters.assignee === 'me' ? person.email : filters.assignee }
    try {
      setInbox(await api<Inbox>('GET', `/inbox${query(f)}`))
      setError('')
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not load the inbox')
    }
  }
  useEffect(() => {
    void load()
    const timer = setInterval(load, REFRESH_MS)
    return () => clearInterval(timer)
  }, [filters.queue, filters.status, filters.category, filters.assignee])
  return { inbox, error, reload: load }
}

const typing = (target: EventTarget | null) => target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)

function useShortcuts(items: InboxItem[], selected: number, select: (i: number) => void, take: (i: InboxItem) => void) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return
      const item = items[selected]
      if (event.key === 'j') select(Math.min(items.length - 1, selected + 1))
      else if (event.key === 'k') select(Math.max(0, selected - 1))
      else if (event.key === 'e' && item) take(item)
      else if ((event.key === 'r' || event.key === 'Enter') && item) location.hash = `#/c/${encodeURIComponent(item.conversationId)}?reply`
      else return
      event.preventDefault()
    }
    addEventListener('keydown', onKey)
    return () => removeEventListener('keydown', onKey)
  }, [items, selected])
}

function QueueList({ inbox, filters, set }: { inbox: Inbox; filters: Filters; set: (f: Filters) => void }) {
  const all = inbox.queues.reduce((n, q) => ({ open: n.open + q.open, taken: n.taken + q.taken }), { open: 0, taken: 0 })
  const entry = (id: string, name: string, open: number, taken: number, breached = 0) => (
    <li key={id}>
      <button type="button" aria-pressed={filters.queue === id} onClick={() => set({ ...filters, queue: id })}>
        <span>{name}</span>
        <span class="counts">{open} waiting · {taken} taken{breached > 0 && <strong class="over"> · {breached} late</strong>}</span>
      </button>
    </li>
  )
  return (
    <nav aria-label="Queues" class="queues">
      <h2>Queues</h2>
      <ul>
        {entry('', 'All queues', all.open, all.taken)}
        {inbox.queues.map((q) => entry(q.id, q.name, q.open, q.taken, q.breached))}
      </ul>
    </nav>
  )
}

function FilterBar({ filters, set }: { filters: Filters; set: (f: Filters) => void }) {
  const select = (id: keyof Filters, label: string, options: [string, string][]) => (
    <span class="filter">
      <label for={`filter-${id}`}>{label}</label>
      <select id={`filter-${id}`} value={filters[id]} onChange={(e) => set({ ...filters, [id]: (e.target as HTMLSelectElement).value })}>
        {options.map(([value, text]) => <option value={value}>{text}</option>)}
      </select>
    </span>
  )
  return (
    <div class="filters" role="group" aria-label="Filters">
      {select('status', 'Status', [['', 'Waiting or taken'], ['open', 'Waiting'], ['taken', 'Taken']])}
      {select('assignee', 'Assigned to', [['', 'Anyone'], ['me', 'Me'], ['unassigned', 'Nobody']])}
      {select('category', 'Reason', [['', 'Any reason'], ...Object.entries(CATEGORY_LABELS)])}
    </div>
  )
}

function Row({ item, active, now, onSelect }: { item: InboxItem; active: boolean; now: number; onSelect: () => void }) {
  const ref = useRef<HTMLTableRowElement>(null)
  useEffect(() => void (active && ref.current?.scrollIntoView({ block: 'nearest' })), [active])
  return (
    <tr ref={ref} class={active ? 'active' : ''} aria-selected={active} onClick={onSelect}>
      <td><a href={`#/c/${encodeURIComponent(item.conversationId)}`} tabIndex={active ? 0 : -1}>{item.customerName ?? item.conversationId.slice(-8)}</a></td>
      <td>{CATEGORY_LABELS[item.category as keyof typeof CATEGORY_LABELS] ?? item.reason}</td>
      <td>{item.intent ?? '—'}</td>
      <td>{item.sentiment ?? '—'}</td>
      <td>{item.takenBy ?? 'waiting'}</td>
      <td><SlaClock label="first reply" due={item.firstResponseDueAt} met={item.firstResponseAt} now={now} /></td>
    </tr>
  )
}

export function InboxView({ person }: { person: Person }) {
  const [filters, setFilters] = useState<Filters>({ queue: '', status: '', category: '', assignee: '' })
  const { inbox, error, reload } = useInbox(filters, person)
  const [selected, setSelected] = useState(0)
  const [notice, setNotice] = useState('')
  const now = useNow()
  const items = inbox?.items ?? []
  const take = async (item: InboxItem) => {
    try {
      await api('POST', `/escalations/${encodeURIComponent(item.escalationId)}/take`)
      setNotice(`Taken: ${item.customerName ?? item.conversationId}`)
      await reload()
    } catch (e) {
      setNotice(e instanceof ApiError ? e.message : 'Could not take it')
    }
  }
  useShortcuts(items, selected, setSelected, take)
  if (!inbox) return <p role="status">{error || 'Loading the inbox…'}</p>
  return (
    <div class="inbox">
      <QueueList inbox={inbox} filters={filters} set={setFilters} />
      <section aria-labelledby="inbox-title" class="list">
        <h1 id="inbox-title">Inbox <span class="muted">({inbox.total} handoffs)</span></h1>
        <FilterBar filters={filters} set={setFilters} />
        <p class="hint">Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>e</kbd> take, <kbd>r</kbd> reply.</p>
        <p role="status" class="notice">{notice || error}</p>
        <table>
          <caption class="sr-only">Handoffs, most urgent first</caption>
          <thead><tr><th scope="col">Customer</th><th scope="col">Reason</th><th scope="col">Intent</th><th scope="col">Sentiment</th><th scope="col">Who</th><th scope="col">SLA</th></tr></thead>
          <tbody>{items.map((item, i) => <Row key={item.escalationId} item={item} active={i === selected} now={now} onSelect={() => setSelected(i)} />)}</tbody>
        </table>
        {items.length < inbox.total && <p class="muted">Showing the {items.length} most urgent of {inbox.total}; filter to see others.</p>}
        <h2>Assist drafts waiting</h2>
        {inbox.drafts.length === 0 ? <p class="muted">No drafts are waiting.</p> : (
          <ul class="drafts">
            {inbox.drafts.map((d) => <li key={d.draftId}><a href={`#/c/${encodeURIComponent(d.conversationId)}`}>Draft in {d.conversationId.slice(-8)} ({d.channel}, agent {d.agent})</a></li>)}
          </ul>
        )}
      </section>
    </div>
  )
}
