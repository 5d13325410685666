// The report as CSV (one row per scenario and configuration) and as JUnit XML for CI (one test suite per
// configuration, one test case per scenario, failed when any of its trials failed).
import type { ArenaReport } from './build-report.ts'

export function reportCsv(report: ArenaReport): string {
  const ks = [...new Set(report.configurations.flatMap((c) => Object.keys(c.passK)))]
  const header = ['scenario', 'configuration', 'trials', 'successes', ...ks, 'differs', 'failures']
  const rows = report.scenarios.flatMap((s) => Object.entries(s.byConfig).map(([config, o]) => [
    s.id, config, o.trials, o.successes, ...ks.map((k) => o.passK[k] ?? ''), s.differs, o.failures.join('; '),
  ]))
  const summary = report.configurations.map((c) => ['*', c.name, c.trials, c.successes, ...ks.map((k) => c.passK[k] ?? ''), '', ''])
  return [header, ...rows, ...summary].map((r) => r.map(csvCell).join(',')).join('\n') + '\n'
}

function csvCell(value: unknown): string {
  const s = String(value)
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

export function reportJunit(report: ArenaReport): string {
  const suites = report.configurations.map((c) => {
    const cases = report.scenarios.map((s) => {
      const o = s.byConfig[c.name]
      if (!o || o.trials === 0) return `    <testcase classname="${xml(c.name)}" name="${xml(s.id)}"><skipped/></testcase>`
      const failed = o.successes < o.trials
      const body = failed ? `<failure message="${xml(`${o.successes}/${o.trials} trials passed`)}">${xml(o.failures.join('\n'))}</failure>` : ''
      return `    <testcase classname="${xml(c.name)}" name="${xml(s.id)}">${body}</testcase>`
    })
    const failures = report.scenarios.filter((s) => (s.byConfig[c.name]?.trials ?? 0) > 0 && s.byConfig[c.name]!.successes < s.byConfig[c.name]!.trials).length
    return `  <testsuite name="${xml(c.name)}" tests="${report.scenarios.length}" failures="${failures}">\n${cases.join('\n')}\n  </testsuite>`
  })
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(report.run.name)}">\n${suites.join('\n')}\n</testsuites>\n`
}

const xml = (s: string) => s.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!)
