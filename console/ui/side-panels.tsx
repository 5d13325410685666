// The conversation's side panels: internal notes (never sent to the customer), knowledge suggestions for the
// latest customer message, and the ticket fields pre-filled from the handoff package.
import { useState } from 'preact/hooks'
import { api, ApiError } from './api.ts'
import type { ConversationDetail, HandoffPackage } from './types.ts'

export function Notes({ conversationId, notes, onAdded }: { conversationId: string; notes: ConversationDetail['notes']; onAdded: () => void }) {
  const [text, setText] = useState('')
  const [status, setStatus] = useState('')
  const add = async (event: Event) => {
    event.preventDefault()
    try {
      await api('POST', `/conversations/${encodeURIComponent(conversationId)}/notes`, { text })
      setText('')
      onAdded()
    } catch (e) {
      setStatus(e instanceof ApiError ? e.message : 'Could not add the note')
    }
  }
  return (
    <section aria-labelledby="notes-title" class="notes">
      <h2 id="notes-title">Internal notes <span class="muted">(the customer never sees these)</span></h2>
      <ul class="plain">{notes.map((n) => <li key={n.id}><strong>{n.author}</strong>: {n.text} <span class="muted">{new Date(n.createdAt).toLocaleString()}</span></li>)}</ul>
      <form onSubmit={add}>
        <label for="note">Add a note</label>
        <textarea id="note" rows={2} required value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
        <button type="submit" disabled={text.trim() === ''}>Add note</button>
        <p role="status">{status}</p>
      </form>
    </section>
  )
}

export function Suggestions({ suggestions, onUse }: { suggestions: ConversationDetail['suggestions']; onUse?: (text: string) => void }) {
  return (
    <section aria-labelledby="kb-title" class="suggestions">
      <h2 id="kb-title">Knowledge suggestions</h2>
      {suggestions.length === 0 ? <p class="muted">Nothing in the knowledge base matches the latest message.</p> : (
        <ul class="plain">
          {suggestions.map((s) => (
            <li key={s.id}>
              <strong>{s.title}</strong>
              <p>{s.passage}</p>
              {onUse && <button type="button" class="secondary" onClick={() => onUse(s.passage)}>Insert into reply</button>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

export function TicketFields({ ticket }: { ticket: HandoffPackage['ticket'] }) {
  return (
    <section aria-labelledby="ticket-title" class="ticket">
      <h2 id="ticket-title">Ticket fields</h2>
      <label for="ticket-intent">Intent</label>
      <input id="ticket-intent" defaultValue={ticket.intent} />
      <label for="ticket-priority">Priority</label>
      <select id="ticket-priority">
        {['low', 'normal', 'high', 'urgent'].map((p) => <option value={p} selected={p === ticket.priority}>{p}</option>)}
      </select>
      <label for="ticket-sentiment">Sentiment</label>
      <input id="ticket-sentiment" defaultValue={ticket.sentiment} />
    </section>
  )
}
