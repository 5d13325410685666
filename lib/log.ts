// Structured JSON logs on stderr. Fields named like secrets are masked before anything is written.

type Level = 'debug' | 'info' | 'warn' | 'error'
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }
const SECRET_FIELD = /(key|token|secret|password|authorization|cookie)/i

let threshold: Level = (process.env.LOG_LEVEL as Level | undefined) ?? 'info'

export function setLogLevel(level: Level): void {
  threshold = level
}

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET_FIELD.test(k)) out[k] = '[redacted]'
    else if (v instanceof Error) out[k] = { name: v.name, message: v.message }
    else out[k] = v
  }
  return out
}

function write(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  if (order[level] < order[threshold]) return
  const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...redact(fields) })
  process.stderr.write(line + '\n')
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

/** A logger whose lines all carry `bound` (for example `{ role: 'worker' }`). */
export function createLogger(bound: Record<string, unknown> = {}): Logger {
  return {
    debug: (m, f) => write('debug', m, { ...bound, ...f }),
    info: (m, f) => write('info', m, { ...bound, ...f }),
    warn: (m, f) => write('warn', m, { ...bound, ...f }),
    error: (m, f) => write('error', m, { ...bound, ...f }),
  }
}
