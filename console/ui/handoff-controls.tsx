// Taking, resolving (handing back to the AI agent or not) and transferring the conversation's handoff.
import { useEffect, useState } from 'preact/hooks'
import { api, ApiError } from './api.ts'
import { SlaClock, useNow } from './sla-clock.tsx'
import type { Handoff, Person } from './types.ts'

function Transfer({ handoff, onDone }: { handoff: Handoff; onDone: (message: string) => void }) {
  const [queues, setQueues] = useState<{ id: string; name: string }[]>([])
  const [agents, setAgents] = useState<{ email: string; name: string; available: boolean }[]>([])
  const [target, setTarget] = useState('')
  useEffect(() => {
    void api<{ data: typeof queues }>('GET', '/queues').then((r) => setQueues(r.data)).catch(() => {})
    void api<{ data: typeof agents }>('GET', '/agents').then((r) => setAgents(r.data)).catch(() => {})
  }, [])
  const transfer = async () => {
    const [kind, value] = target.split(':', 2) as [string, string]
    try {
      await api('POST', `/escalations/${encodeURIComponent(handoff.id)}/transfer`, kind === 'queue' ? { queueId: value } : { agent: value })
      onDone('Transferred')
    } catch (e) {
      onDone(e instanceof ApiError ? e.message : 'Could not transfer')
    }
  }
  return (
    <div class="transfer">
      <label for="transfer-to">Transfer to</label>
      <select id="transfer-to" value={target} onChange={(e) => setTarget((e.target as HTMLSelectElement).value)}>
        <option value="">Choose a queue or a person…</option>
        <optgroup label="Queues">{queues.filter((q) => q.id !== handoff.queue?.id).map((q) => <option value={`queue:${q.id}`}>{q.name}</option>)}</optgroup>
        <optgroup label="People">{agents.map((a) => <option value={`agent:${a.email}`}>{a.name} ({a.available ? 'available' : 'away'})</option>)}</optgroup>
      </select>
      <button type="button" disabled={!target} onClick={transfer}>Transfer</button>
    </div>
  )
}

export function HandoffControls({ handoff, person, onChanged }: { handoff: Handoff; person: Person; onChanged: () => void }) {
  const [status, setStatus] = useState('')
  const now = useNow()
  const act = async (path: string, body?: unknown) => {
    try {
      await api('POST', `/escalations/${encodeURIComponent(handoff.id)}/${path}`, body)
      setStatus('')
      onChanged()
    } catch (e) {
      setStatus(e instanceof ApiError ? e.message : 'Could not do that')
    }
  }
  const mine = handoff.takenBy === person.email
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement
      if (e.key !== 'e' || handoff.status !== 'open' || e.ctrlKey || e.metaKey || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return
      e.preventDefault()
      void act('take')
    }
    addEventListener('keydown', onKey)
    return () => removeEventListener('keydown', onKey)
  }, [handoff.id, handoff.status])
  return (
    <section aria-labelledby="handoff-title" class="controls">
      <h2 id="handoff-title">Handoff</h2>
      <p>{handoff.status === 'open' ? 'Waiting for a person' : handoff.status === 'taken' ? `Taken by ${mine ? 'you' : handoff.takenBy}` : 'Resolved'}
        {handoff.queue && <> · queue {handoff.queue.name}</>}</p>
      <p class="clocks">
        <SlaClock label="First reply" due={handoff.sla.firstResponseDueAt} met={handoff.sla.firstResponseAt} stopped={handoff.status === 'resolved'} now={now} />{' '}
        <SlaClock label="Resolution" due={handoff.sla.resolutionDueAt} met={handoff.status === 'resolved' ? 'yes' : null} now={now} />
      </p>
      {handoff.status === 'open' && <button type="button" onClick={() => act('take')}>Take (e)</button>}
      {handoff.status === 'taken' && (
        <div class="buttons">
          <button type="button" onClick={() => act('resolve', { handBack: true })}>Resolve and hand back to AI</button>
          <button type="button" class="secondary" onClick={() => act('resolve', { handBack: false })}>Resolve, keep with people</button>
        </div>
      )}
      {handoff.status !== 'resolved' && <Transfer handoff={handoff} onDone={(m) => (setStatus(m), onChanged())} />}
      <p role="status">{status}</p>
    </section>
  )
}
