// The QA review queue: finished conversations, fewest reviews first; a reviewer reads one and grades it against
// the rubric (1 to 5 per criterion).
import { useEffect, useState } from 'preact/hooks'
import { api, ApiError } from './api.ts'
import type { ConversationDetail } from './types.ts'

interface Rubric {
  version: string
  criteria: { id: string; label: string; question: string }[]
}

interface Candidate {
  conversationId: string
  channel: string
  agent: string
  escalated: boolean
  csat: number | null
  reviews: number
}

function ReviewForm({ id, rubric, onSaved }: { id: string; rubric: Rubric; onSaved: () => void }) {
  const [detail, setDetail] = useState<ConversationDetail | null>(null)
  const [scores, setScores] = useState<Record<string, number>>({})
  const [status, setStatus] = useState('')
  useEffect(() => void api<ConversationDetail>('GET', `/conversations/${encodeURIComponent(id)}`).then(setDetail).catch(() => {}), [id])
  const save = async (event: Event) => {
    event.preventDefault()
    const comment = (new FormData(event.target as HTMLFormElement).get('comment') as string) || undefined
    try {
      await api('POST', `/qa/reviews/${encodeURIComponent(id)}`, { scores, comment })
      setStatus('Review saved')
      onSaved()
    } catch (e) {
      setStatus(e instanceof ApiError ? e.message : 'Could not save the review')
    }
  }
  return (
    <section aria-labelledby="review-title" class="review">
      <h2 id="review-title">Review of {id.slice(-8)}</h2>
      <ol class="transcript small">{detail?.messages.map((m) => <li class={`msg ${m.role}`}><span class="author">{m.role}</span> {m.text}</li>)}</ol>
      <form onSubmit={save}>
        {rubric.criteria.map((c) => (
          <fieldset key={c.id}>
            <legend>{c.label}: {c.question}</legend>
            {[1, 2, 3, 4, 5].map((n) => (
              <label class="inline"><input type="radio" name={c.id} value={n} required checked={scores[c.id] === n}
                onChange={() => setScores({ ...scores, [c.id]: n })} /> {n}</label>
            ))}
          </fieldset>
        ))}
        <label for="qa-comment">Comment</label>
        <textarea id="qa-comment" name="comment" rows={2} />
        <button type="submit">Save review</button>
        <p role="status">{status}</p>
      </form>
    </section>
  )
}

export function QaView() {
  const [queue, setQueue] = useState<{ rubric: Rubric; data: Candidate[] } | null>(null)
  const [chosen, setChosen] = useState('')
  const [error, setError] = useState('')
  const load = () => api<{ rubric: Rubric; data: Candidate[] }>('GET', '/qa/queue').then(setQueue)
    .catch((e) => setError(e instanceof ApiError ? e.message : 'Could not load the QA queue'))
  useEffect(() => void load(), [])
  if (!queue) return <p role="status">{error || 'Loading the QA queue…'}</p>
  return (
    <div class="qa">
      <section aria-labelledby="qa-title">
        <h1 id="qa-title">QA review <span class="muted">(rubric {queue.rubric.version})</span></h1>
        {queue.data.length === 0 ? <p class="muted">Nothing to review.</p> : (
          <ul class="plain">
            {queue.data.map((c) => (
              <li key={c.conversationId}>
                <button type="button" aria-pressed={chosen === c.conversationId} onClick={() => setChosen(c.conversationId)}>
                  {c.conversationId.slice(-8)} · {c.channel} · agent {c.agent}{c.escalated ? ' · handed off' : ''}
                  {c.csat !== null ? ` · CSAT ${c.csat}` : ''} · {c.reviews} reviews
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      {chosen && <ReviewForm key={chosen} id={chosen} rubric={queue.rubric} onSaved={load} />}
    </div>
  )
}
