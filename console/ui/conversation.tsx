// One conversation: the live transcript (reloaded on every event of its stream, over SSE), the handoff and its
// package, approvals waiting, assist drafts, the reply box with canned responses and knowledge suggestions,
// pre-filled ticket fields, internal notes, CSAT, and a "why" link on every turn.
import { useEffect, useRef, useState } from 'preact/hooks'
import { api, ApiError } from './api.ts'
import { Approvals } from './approvals.tsx'
import { Drafts, ReplyBox } from './compose.tsx'
import { HandoffControls } from './handoff-controls.tsx'
import { PackagePanel } from './package-panel.tsx'
import { Notes, Suggestions, TicketFields } from './side-panels.tsx'
import type { ConversationDetail, Person } from './types.ts'

const AUTHOR: Record<string, string> = { customer: 'Customer', assistant: 'AI agent', human_agent: 'Support team', system: 'Platform' }

function useConversation(id: string) {
  const [detail, setDetail] = useState<ConversationDetail | null>(null)
  const [error, setError] = useState('')
  const load = () => api<ConversationDetail>('GET', `/conversations/${encodeURIComponent(id)}`)
    .then((d) => (setDetail(d), setError('')))
    .catch((e) => setError(e instanceof ApiError ? e.message : 'Could not load the conversation'))
  useEffect(() => {
    void load()
    let pending: ReturnType<typeof setTimeout> | undefined
    const stream = new EventSource(`/console/api/conversations/${encodeURIComponent(id)}/events`)
    const changed = () => {
      clearTimeout(pending)
      pending = setTimeout(load, 150)
    }
    for (const type of ['reply.completed', 'message.received', 'draft.created', 'escalation.opened', 'escalation.taken',
      'escalation.resolved', 'conversation.closed', 'sla.breached']) stream.addEventListener(type, changed)
    return () => (stream.close(), clearTimeout(pending))
  }, [id])
  return { detail, error, reload: load }
}

function Transcript({ detail }: { detail: ConversationDetail }) {
  const end = useRef<HTMLLIElement>(null)
  useEffect(() => end.current?.scrollIntoView({ block: 'nearest' }), [detail.messages.length])
  const id = detail.conversation.id
  return (
    <ol class="transcript" aria-live="polite" aria-label="Transcript">
      {detail.messages.map((m) => (
        <li key={m.id} class={`msg ${m.role}`}>
          <span class="author">{AUTHOR[m.role] ?? m.role}</span>
          <p>{m.text}</p>
          <span class="meta">{new Date(m.createdAt).toLocaleTimeString()}
            {m.role === 'customer' && <> · <a href={`#/why/${encodeURIComponent(id)}/${encodeURIComponent(m.id)}`}>why this turn</a></>}</span>
        </li>
      ))}
      <li ref={end} class="end" aria-hidden="true" />
    </ol>
  )
}

function Csat({ csat }: { csat: ConversationDetail['conversation']['csat'] }) {
  return <p>CSAT: {csat ? <strong>{csat.rating} / 5{csat.comment ? ` (“${csat.comment}”)` : ''}</strong> : <span class="muted">not rated yet</span>}</p>
}

export function ConversationView({ id, person, focusReply }: { id: string; person: Person; focusReply: boolean }) {
  const { detail, error, reload } = useConversation(id)
  const [insert, setInsert] = useState('')
  if (!detail) return <p role="status">{error || 'Loading the conversation…'}</p>
  const current = [...detail.handoffs].reverse().find((h) => h.status !== 'resolved') ?? detail.handoffs.at(-1)
  const handles = person.role !== 'qa_reviewer'
  return (
    <div class="conversation">
      <section class="main-col" aria-labelledby="conv-title">
        <p><a href="#/">← Inbox</a></p>
        <h1 id="conv-title">Conversation {id.slice(-8)} <span class="muted">{detail.conversation.channel} · {detail.conversation.status}</span></h1>
        <Csat csat={detail.conversation.csat} />
        {error && <p role="alert" class="error">{error}</p>}
        <Transcript detail={detail} />
        {handles && <Approvals conversationId={id} />}
        {handles && <Drafts drafts={detail.drafts.filter((d) => d.status === 'pending')} onChanged={reload} />}
        {handles && current && current.status !== 'resolved' && (
          <ReplyBox conversationId={id} autoFocus={focusReply} insert={insert} onSent={reload} />
        )}
        <Notes conversationId={id} notes={detail.notes} onAdded={reload} />
      </section>
      <aside class="side-col" aria-label="Context">
        {current && handles && <HandoffControls handoff={current} person={person} onChanged={reload} />}
        {current && <PackagePanel handoff={current} onChanged={reload} />}
        {current?.package && <TicketFields ticket={current.package.ticket} />}
        <Suggestions suggestions={detail.suggestions} onUse={handles ? setInsert : undefined} />
      </aside>
    </div>
  )
}
