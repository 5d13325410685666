// What leaves the platform for a warehouse is redacted first: free text written by or about customers (turn text,
// CSAT comments, escalation details) passes through the PII redaction the models see, so no email, phone or card
// number reaches an export.
import { redactPii } from '../policy/index.ts'
import type { ExportRow, ExportStream } from '../storage/index.ts'

const FREE_TEXT: Partial<Record<ExportStream, string[]>> = { turns: ['text'], csat: ['comment'], policy_decisions: ['reason'] }

export function redactRow(stream: ExportStream, row: ExportRow): ExportRow {
  const fields = FREE_TEXT[stream]
  if (!fields) return row
  const out = { ...row }
  for (const f of fields) if (typeof out[f] === 'string') out[f] = redactPii(out[f])
  return out
}
