// A progress bar on stderr: redrawn in place on a terminal, one line per tenth otherwise (CI logs).
import type { RunProgress } from './runner.ts'

export function progressBar(write: (text: string) => void, isTty: boolean, width = 30): (p: RunProgress) => void {
  const started = Date.now()
  let lastTenth = -1
  return (p) => {
    const share = p.total ? p.done / p.total : 1
    const elapsed = (Date.now() - started) / 1000
    const eta = p.done ? Math.round((elapsed / p.done) * (p.total - p.done)) : null
    const bar = `${'#'.repeat(Math.round(share * width))}${'-'.repeat(width - Math.round(share * width))}`
    const line = `[${bar}] ${p.done}/${p.total} ${(share * 100).toFixed(1)}% $${p.spentUsd.toFixed(4)} ${eta === null ? '' : `eta ${eta}s`}`
    if (isTty) return write(`\r${line}${p.done === p.total ? '\n' : ''}`)
    const tenth = Math.floor(share * 10)
    if (tenth !== lastTenth) {
      lastTenth = tenth
      write(`${line}\n`)
    }
  }
}
