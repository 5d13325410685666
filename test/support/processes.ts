// Real Switchboard processes for tests that kill, restart or count them, and for the benchmarks: each runs with the
// environment the image gives it (the Dockerfile's ENV lines), as a deployed process does.
import type { Subprocess } from 'bun'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(import.meta.dir, '..', '..')
const MAIN = join(ROOT, 'main.ts')

/** The Dockerfile's `ENV NAME=value` lines. */
export function imageEnv(): Record<string, string> {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
  return Object.fromEntries([...dockerfile.matchAll(/^ENV (\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]))
}

export interface SwitchboardProcess {
  proc: Subprocess<'ignore', 'pipe', 'pipe'>
  /** Everything the process wrote to stderr so far (its JSON log lines). */
  output(): string
  waitForLog(text: string, timeoutMs?: number): Promise<void>
  kill(signal?: NodeJS.Signals): void
}

export function spawnSwitchboard(role: 'api' | 'worker' | 'all', env: Record<string, string>): SwitchboardProcess {
  const proc = Bun.spawn([process.execPath, MAIN, '--role', role], {
    env: { ...process.env, ...imageEnv(), LOG_LEVEL: 'info', ...env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  let text = ''
  void (async () => {
    const decoder = new TextDecoder()
    const reader = proc.stderr.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      text += decoder.decode(value)
    }
  })()
  return {
    proc,
    output: () => text,
    async waitForLog(needle, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs
      while (!text.includes(needle)) {
        if (proc.exitCode !== null) throw new Error(`process exited (${proc.exitCode}) before logging "${needle}":\n${text}`)
        if (Date.now() > deadline) throw new Error(`no "${needle}" within ${timeoutMs} ms:\n${text}`)
        await Bun.sleep(25)
      }
    },
    kill: (signal = 'SIGTERM') => proc.kill(signal),
  }
}
