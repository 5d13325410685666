// Why a turn was answered as it was: its guardrail decisions, model steps, tool calls, reply and escalation.
import { useEffect, useState } from 'preact/hooks'
import { api, ApiError } from './api.ts'

export function WhyView({ conversationId, turnId }: { conversationId: string; turnId: string }) {
  const [why, setWhy] = useState<any>(null)
  const [error, setError] = useState('')
  useEffect(() => {
    api('GET', `/conversations/${encodeURIComponent(conversationId)}/turns/${encodeURIComponent(turnId)}/why`)
      .then(setWhy).catch((e) => setError(e instanceof ApiError ? e.message : 'Could not load the turn'))
  }, [conversationId, turnId])
  if (!why) return <p role="status">{error || 'Loading…'}</p>
  return (
    <section aria-labelledby="why-title" class="why">
      <p><a href={`#/c/${encodeURIComponent(conversationId)}`}>← Conversation</a></p>
      <h1 id="why-title">Why this turn</h1>
      <p><strong>Customer:</strong> {why.customerMessage.text}</p>
      <h2>Guardrails</h2>
      <ul>{why.guardrails.map((g: any) => <li>{g.stage}: {g.verdict} ({g.rule}{g.reason ? `: ${g.reason}` : ''})</li>)}</ul>
      <h2>Model steps</h2>
      <ol>{why.modelSteps.map((s: any) => <li>{s.provider}/{s.model}: {s.text || '(tool calls)'} <span class="muted">{s.usage.inputTokens}+{s.usage.outputTokens} tokens{s.escalate ? `, escalate: ${s.escalate}` : ''}</span></li>)}</ol>
      <h2>Tool calls</h2>
      {why.toolCalls.length === 0 ? <p class="muted">None.</p> : <ul>{why.toolCalls.map((c: any) => <li><strong>{c.name}</strong> {c.isError ? 'failed' : 'ok'}<pre>{JSON.stringify(c.result, null, 1)}</pre></li>)}</ul>}
      <h2>Reply</h2>
      <p>{why.reply?.text ?? '—'}</p>
      {why.escalation && <p><strong>Escalated:</strong> {why.escalation.reason} {why.escalation.detail ?? ''}</p>}
      {why.traceId && <p>Trace id: <code>{why.traceId}</code></p>}
    </section>
  )
}
