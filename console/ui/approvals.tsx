// Approval requests of the agent policy for this conversation: a tool call (a refund over a threshold, say) waits
// for a person to approve or deny it before it runs.
import { useEffect, useState } from 'preact/hooks'
import { api, ApiError } from './api.ts'
import type { Approval } from './types.ts'

const REFRESH_MS = 5000

function ApprovalCard({ approval, onDecided }: { approval: Approval; onDecided: () => void }) {
  const [reason, setReason] = useState('')
  const [status, setStatus] = useState('')
  const decide = async (decision: 'approve' | 'deny') => {
    try {
      await api('POST', `/approvals/${encodeURIComponent(approval.id)}/${decision}`, decision === 'deny' ? { reason } : {})
      onDecided()
    } catch (e) {
      setStatus(e instanceof ApiError ? e.message : 'Could not record the decision')
    }
  }
  return (
    <li class="approval">
      <p>{approval.summary} <span class="muted">({approval.tool}{approval.amountUsd !== null && <>, <strong>{approval.amountUsd.toFixed(2)} USD</strong></>}
        · rule {approval.rule} of policy {approval.policy} v{approval.policyVersion})</span></p>
      <pre>{JSON.stringify(approval.args, null, 1)}</pre>
      <div class="buttons">
        <button type="button" onClick={() => decide('approve')}>Approve</button>
        <label for={`deny-${approval.id}`} class="sr-only">Reason for denying</label>
        <input id={`deny-${approval.id}`} placeholder="Reason for denying" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
        <button type="button" class="secondary" disabled={reason.trim() === ''} onClick={() => decide('deny')}>Deny</button>
      </div>
      <p role="status">{status}</p>
    </li>
  )
}

export function Approvals({ conversationId }: { conversationId: string }) {
  const [pending, setPending] = useState<Approval[]>([])
  const load = () => api<{ data: Approval[] }>('GET', `/approvals?status=pending&conversationId=${encodeURIComponent(conversationId)}`)
    .then((r) => setPending(r.data)).catch(() => setPending([]))
  useEffect(() => {
    void load()
    const timer = setInterval(load, REFRESH_MS)
    return () => clearInterval(timer)
  }, [conversationId])
  if (pending.length === 0) return null
  return (
    <section aria-labelledby="approvals-title" class="approvals">
      <h2 id="approvals-title">Approval requests</h2>
      <ul class="plain">{pending.map((a) => <ApprovalCard key={a.id} approval={a} onDecided={load} />)}</ul>
    </section>
  )
}
