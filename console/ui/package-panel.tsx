// The handoff package as the person taking over reads it: why, who, what they want and how they feel, what the AI
// agent did and what failed, the policy rule, and how complete the package is. Plus the rating of it.
import { useState } from 'preact/hooks'
import { api, ApiError } from './api.ts'
import type { Handoff, HandoffPackage } from './types.ts'

const PARTS = ['summary', 'intent', 'sentiment', 'customer', 'actions', 'failures', 'reason', 'policyRule', 'history', 'other']

function Customer({ c }: { c: HandoffPackage['customer'] }) {
  const rows: [string, string | null][] = [
    ['Name', c.name], ['Email', c.email], ['Phone', c.phone], ['External id', c.externalId], ['Channel', c.channel],
    ['Conversations', String(c.conversations)], ['Customer since', c.customerSince?.slice(0, 10) ?? null],
  ]
  return <dl class="pairs">{rows.filter(([, v]) => v).map(([k, v]) => <><dt>{k}</dt><dd>{v}</dd></>)}</dl>
}

function Actions({ p }: { p: HandoffPackage }) {
  if (p.actions.length === 0) return <p class="muted">The AI agent took no action.</p>
  return (
    <ul class="actions">
      {p.actions.map((a) => (
        <li><strong>{a.tool}</strong> <span class={a.ok === false ? 'bad' : a.ok ? 'good' : 'muted'}>{a.ok === null ? 'no result' : a.ok ? 'ok' : 'failed'}</span>
          <details><summary>arguments and result</summary><pre>{JSON.stringify(a.arguments, null, 1)}</pre>{a.outcome && <pre>{a.outcome}</pre>}</details></li>
      ))}
    </ul>
  )
}

function Rating({ handoff, onRated }: { handoff: Handoff; onRated: () => void }) {
  const [missing, setMissing] = useState<string[]>([])
  const [status, setStatus] = useState('')
  if (handoff.rating) return <p class="muted">You rated this package: {handoff.rating.hadWhatNeeded ? 'had what was needed' : `missing ${handoff.rating.missing.join(', ') || 'something'}`}.</p>
  const rate = async (hadWhatNeeded: boolean) => {
    try {
      await api('POST', `/escalations/${encodeURIComponent(handoff.id)}/rating`, { hadWhatNeeded, missing: hadWhatNeeded ? [] : missing })
      onRated()
    } catch (e) {
      setStatus(e instanceof ApiError ? e.message : 'Could not save the rating')
    }
  }
  return (
    <fieldset class="rating">
      <legend>Did this package have what you needed?</legend>
      <button type="button" onClick={() => rate(true)}>Yes, it had what I needed</button>
      <details>
        <summary>No, something was missing</summary>
        {PARTS.map((part) => (
          <label class="inline"><input type="checkbox" checked={missing.includes(part)}
            onChange={(e) => setMissing((e.target as HTMLInputElement).checked ? [...missing, part] : missing.filter((m) => m !== part))} /> {part}</label>
        ))}
        <button type="button" onClick={() => rate(false)}>Send rating</button>
      </details>
      <p role="status">{status}</p>
    </fieldset>
  )
}

export function PackagePanel({ handoff, onChanged }: { handoff: Handoff; onChanged: () => void }) {
  const p = handoff.package
  if (!p) return <section aria-labelledby="pkg-title"><h2 id="pkg-title">Handoff</h2><p>Reason: {handoff.reason} (no package was built for this handoff)</p></section>
  return (
    <section aria-labelledby="pkg-title" class="package">
      <h2 id="pkg-title">Handoff package</h2>
      <p class="reason"><strong>{p.reason.label}</strong> <span class="muted">({p.reason.code}{p.reason.detail ? `: ${p.reason.detail}` : ''})</span></p>
      {p.policyRule && <p>Policy rule: <code>{p.policyRule.source} {p.policyRule.policyVersion ?? ''} · {p.policyRule.rule}</code></p>}
      <h3>Summary</h3>
      <p class="summary">{p.summary}</p>
      <dl class="pairs">
        <dt>Intent</dt><dd>{p.intent.name} ({Math.round(p.intent.confidence * 100)}%)</dd>
        <dt>Sentiment</dt><dd>{p.sentiment.label}, {p.sentiment.trend} ({p.sentiment.score})</dd>
        <dt>Queue</dt><dd>{handoff.queue?.name ?? '—'}</dd>
        <dt>Completeness</dt><dd>{Math.round(p.completeness.score * 100)}%{p.completeness.missing.length > 0 && ` (missing ${p.completeness.missing.join(', ')})`}</dd>
      </dl>
      <h3>Customer</h3>
      <Customer c={p.customer} />
      <h3>Actions taken</h3>
      <Actions p={p} />
      <h3>What failed</h3>
      {p.failures.length === 0 ? <p class="muted">Nothing failed.</p> : <ul>{p.failures.map((f) => <li><strong>{f.what}</strong>: {f.detail}</li>)}</ul>}
      {handoff.status !== 'open' && <Rating handoff={handoff} onRated={onChanged} />}
    </section>
  )
}
