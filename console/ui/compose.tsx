// Writing to the customer: assist drafts to send as written, edit and send, or discard; and the reply box with the
// tenant's canned responses. `r` anywhere in the conversation (outside a text field) puts the cursor in the reply.
import { useEffect, useRef, useState } from 'preact/hooks'
import { api, ApiError } from './api.ts'
import type { Draft } from './types.ts'

function DraftCard({ draft, onChanged }: { draft: Draft; onChanged: () => void }) {
  const [text, setText] = useState(draft.text)
  const [status, setStatus] = useState('')
  const act = async (path: string, body: unknown) => {
    try {
      await api('POST', `/drafts/${encodeURIComponent(draft.id)}/${path}`, body)
      onChanged()
    } catch (e) {
      setStatus(e instanceof ApiError ? e.message : 'Could not do that')
    }
  }
  const edited = text !== draft.text
  return (
    <li class="draft">
      <label for={`draft-${draft.id}`}>Draft reply by the AI agent {edited && <span class="muted">(edited)</span>}</label>
      <textarea id={`draft-${draft.id}`} rows={3} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
      <div class="buttons">
        <button type="button" onClick={() => act('send', edited ? { text } : {})}>{edited ? 'Send edited draft' : 'Send draft'}</button>
        <button type="button" class="secondary" onClick={() => act('discard', {})}>Discard draft</button>
      </div>
      <p role="status">{status}</p>
    </li>
  )
}

export function Drafts({ drafts, onChanged }: { drafts: Draft[]; onChanged: () => void }) {
  if (drafts.length === 0) return null
  return (
    <section aria-labelledby="drafts-title">
      <h2 id="drafts-title">Assist drafts</h2>
      <ul class="plain">{drafts.map((d) => <DraftCard key={d.id} draft={d} onChanged={onChanged} />)}</ul>
    </section>
  )
}

function useCanned(): { id: string; title: string; text: string }[] {
  const [canned, setCanned] = useState<{ id: string; title: string; text: string }[]>([])
  useEffect(() => void api<{ data: typeof canned }>('GET', '/canned-responses').then((r) => setCanned(r.data)).catch(() => {}), [])
  return canned
}

export function ReplyBox({ conversationId, autoFocus, insert, onSent }: { conversationId: string; autoFocus: boolean; insert: string; onSent: () => void }) {
  const [text, setText] = useState('')
  const [status, setStatus] = useState('')
  const [busy, setBusy] = useState(false)
  const box = useRef<HTMLTextAreaElement>(null)
  const canned = useCanned()
  useEffect(() => void (autoFocus && box.current?.focus()), [autoFocus])
  useEffect(() => void (insert && setText((t) => (t ? `${t}\n${insert}` : insert))), [insert])
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement
      if (e.key !== 'r' || e.ctrlKey || e.metaKey || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return
      e.preventDefault()
      box.current?.focus()
    }
    addEventListener('keydown', onKey)
    return () => removeEventListener('keydown', onKey)
  }, [])
  const send = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    try {
      await api('POST', `/conversations/${encodeURIComponent(conversationId)}/messages`, { text })
      setText('')
      setStatus('Sent')
      onSent()
    } catch (e) {
      setStatus(e instanceof ApiError ? e.message : 'Could not send')
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="reply" onSubmit={send}>
      <label for="reply">Reply to the customer</label>
      <textarea id="reply" ref={box} rows={4} required value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
      <div class="buttons">
        {canned.length > 0 && (
          <>
            <label for="canned" class="sr-only">Canned response</label>
            <select id="canned" value="" onChange={(e) => {
              const chosen = canned.find((c) => c.id === (e.target as HTMLSelectElement).value)
              if (chosen) setText((t) => (t ? `${t}\n${chosen.text}` : chosen.text))
            }}>
              <option value="">Insert a canned response…</option>
              {canned.map((c) => <option value={c.id}>{c.title}</option>)}
            </select>
          </>
        )}
        <button type="submit" disabled={busy || text.trim() === ''}>Send reply</button>
      </div>
      <p role="status">{status}</p>
    </form>
  )
}
