// The Arena's side-by-side report: per configuration a summary, per scenario each configuration's outcome, and for
// a chosen scenario the transcripts next to each other with the first message where they differ marked. A run the
// workers are playing shows its progress as it goes; supervisors and admins can play a run's matrix again. The
// runs page also lists the maturity decisions: promotions granted or refused, and automatic demotions with why.
import { useEffect, useState } from 'preact/hooks'
import { api, ApiError } from './api.ts'

interface RunRow {
  id: string
  name: string
  suite: string | null
  status: string
  createdAt: string
}

interface Summary {
  name: string
  policy: string | null
  trials: number
  successRate: number | null
  passK: Record<string, number>
  wrongWrites: number
  violations: { caught: number; missed: number }
  escalations: { needed: number; needless: number; missed: number }
  groundingFailures: number
  costUsd: number
  latencyMs: { p50: number | null }
  nlAssertions: { passed: number; failed: number; ungraded: number }
}

interface Outcome {
  trials: number
  successes: number
  failures: string[]
  transcript: { role: string; text: string }[]
}

interface Report {
  run: { id: string; name: string; status: string; trials: number; done: number }
  configurations: Summary[]
  scenarios: { id: string; byConfig: Record<string, Outcome>; differs: boolean; firstDifference: { index: number } | null }[]
}

const pct = (n: number | null) => (n === null ? '–' : `${Math.round(n * 1000) / 10}%`)

interface Decision {
  id: number
  agent: string
  conversationType: string | null
  fromMode: string
  toMode: string
  suite: string
  outcome: 'promoted' | 'refused' | 'demoted'
  reasons: string[]
  approver: string
  policyVersion: string | null
  decidedAt: string
}

/** Promotions granted or refused and automatic demotions, newest first, with why. */
function Decisions() {
  const [decisions, setDecisions] = useState<Decision[] | null>(null)
  useEffect(() => void api<{ data: Decision[] }>('GET', '/arena/decisions').then((r) => setDecisions(r.data)).catch(() => setDecisions([])), [])
  if (!decisions || decisions.length === 0) return null
  return (
    <table>
      <caption>Maturity decisions</caption>
      <thead><tr>
        <th scope="col">when</th><th scope="col">agent</th><th scope="col">conversation type</th><th scope="col">level</th>
        <th scope="col">outcome</th><th scope="col">suite</th><th scope="col">by</th><th scope="col">why</th>
      </tr></thead>
      <tbody>{decisions.map((d) => (
        <tr class={d.outcome}>
          <td>{new Date(d.decidedAt).toLocaleString()}</td><th scope="row">{d.agent}</th><td>{d.conversationType ?? 'all'}</td>
          <td>{d.fromMode} → {d.toMode}</td><td>{d.outcome}</td><td>{d.suite}</td><td>{d.approver}</td><td>{d.reasons.join('; ')}</td>
        </tr>
      ))}</tbody>
    </table>
  )
}

export function ArenaRunsView() {
  const [runs, setRuns] = useState<RunRow[] | null>(null)
  useEffect(() => void api<{ data: RunRow[] }>('GET', '/arena/runs').then((r) => setRuns(r.data)).catch(() => setRuns([])), [])
  if (!runs) return <p role="status">Loading…</p>
  return (
    <section aria-labelledby="arena-title">
      <h1 id="arena-title">Arena runs</h1>
      {runs.length === 0 ? <p>No runs yet: <code>POST /v1/arena/runs</code> (played by the workers) or <code>bun run arena -- run spec.json</code> plays one.</p> : (
        <ul class="list">{runs.map((r) => (
          <li><a href={`#/arena/${encodeURIComponent(r.id)}`}>{r.name}</a> · {r.status}{r.suite ? ` · suite ${r.suite}` : ''} · {new Date(r.createdAt).toLocaleString()}</li>
        ))}</ul>
      )}
      <Decisions />
    </section>
  )
}

function SummaryTable({ report }: { report: Report }) {
  const ks = [...new Set(report.configurations.flatMap((c) => Object.keys(c.passK)))]
  return (
    <table>
      <caption>Per configuration</caption>
      <thead><tr>
        <th scope="col">configuration</th><th scope="col">policy</th><th scope="col">trials</th><th scope="col">success</th>
        {ks.map((k) => <th scope="col">{k.replace('pass_', 'pass^')}</th>)}
        <th scope="col">wrong writes</th><th scope="col">violations caught / missed</th>
        <th scope="col">escalations needed / needless / missed</th><th scope="col">grounding</th><th scope="col">cost</th><th scope="col">p50 reply</th>
        <th scope="col" title="τ² tasks' natural-language assertions, graded deterministically where possible, apart from success">NL passed / failed / ungraded</th>
      </tr></thead>
      <tbody>{report.configurations.map((c) => (
        <tr>
          <th scope="row">{c.name}</th><td>{c.policy ?? 'agent\'s own'}</td><td>{c.trials}</td><td>{pct(c.successRate)}</td>
          {ks.map((k) => <td>{c.passK[k] === undefined ? '–' : c.passK[k]!.toFixed(3)}</td>)}
          <td>{c.wrongWrites}</td><td>{c.violations.caught} / {c.violations.missed}</td>
          <td>{c.escalations.needed} / {c.escalations.needless} / {c.escalations.missed}</td><td>{c.groundingFailures}</td>
          <td>${c.costUsd.toFixed(4)}</td><td>{c.latencyMs.p50 === null ? '–' : `${c.latencyMs.p50} ms`}</td>
          <td>{c.nlAssertions.passed} / {c.nlAssertions.failed} / {c.nlAssertions.ungraded}</td>
        </tr>
      ))}</tbody>
    </table>
  )
}

function Transcripts({ scenario, configs }: { scenario: Report['scenarios'][number]; configs: string[] }) {
  const first = scenario.firstDifference?.index
  return (
    <div class="side-by-side">{configs.map((c) => (
      <section aria-label={`${c} transcript`}>
        <h3>{c}</h3>
        <ol class="transcript small">{(scenario.byConfig[c]?.transcript ?? []).map((m, i) => (
          <li class={`msg ${m.role}${i === first ? ' first-diff' : ''}`} aria-label={i === first ? 'first difference' : undefined}>
            <span class="author">{m.role}</span> {m.text}
          </li>
        ))}</ol>
        {(scenario.byConfig[c]?.failures ?? []).map((f) => <p class="failure">{f}</p>)}
      </section>
    ))}</div>
  )
}

/** How often a report of a run still being played is read again. */
const PROGRESS_POLL_MS = 2000

export function ArenaReportView({ id, canRun }: { id: string; canRun: boolean }) {
  const [report, setReport] = useState<Report | null>(null)
  const [error, setError] = useState('')
  const [chosen, setChosen] = useState<string | null>(null)
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const load = () => void api<Report>('GET', `/arena/runs/${encodeURIComponent(id)}/report`).then((r) => {
      setReport(r)
      if (r.run.status === 'running') timer = setTimeout(load, PROGRESS_POLL_MS)
    }).catch((e) => setError(e instanceof ApiError ? e.message : 'Could not load the report'))
    load()
    return () => clearTimeout(timer)
  }, [id])
  const again = () => void api<{ id: string }>('POST', `/arena/runs/${encodeURIComponent(id)}/again`)
    .then((r) => { location.hash = `#/arena/${encodeURIComponent(r.id)}` })
    .catch((e) => setError(e instanceof ApiError ? e.message : 'Could not start the run'))
  if (error) return <p role="alert">{error}</p>
  if (!report) return <p role="status">Loading…</p>
  const configs = report.configurations.map((c) => c.name)
  const scenario = report.scenarios.find((s) => s.id === chosen)
  return (
    <section aria-labelledby="report-title">
      <h1 id="report-title">{report.run.name}</h1>
      <p>
        {report.run.status} · {report.run.done}/{report.run.trials} trials
        {report.run.status === 'running' && <progress value={report.run.done} max={report.run.trials} aria-label="trials played" />}
        {canRun && report.run.status !== 'running' && <button type="button" onClick={again}>Run again</button>}
      </p>
      <SummaryTable report={report} />
      <table>
        <caption>Per scenario (trials passed)</caption>
        <thead><tr><th scope="col">scenario</th>{configs.map((c) => <th scope="col">{c}</th>)}</tr></thead>
        <tbody>{report.scenarios.map((s) => (
          <tr class={s.differs ? 'differs' : ''}>
            <th scope="row"><button type="button" class="link" onClick={() => setChosen(s.id)}>{s.id}</button>{s.differs ? ' (differs)' : ''}</th>
            {configs.map((c) => <td>{s.byConfig[c] ? `${s.byConfig[c]!.successes}/${s.byConfig[c]!.trials}` : '–'}</td>)}
          </tr>
        ))}</tbody>
      </table>
      {scenario && <Transcripts scenario={scenario} configs={configs} />}
    </section>
  )
}
