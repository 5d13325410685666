// Holds the scripted replies and faults and decides which one answers a request; records every request.
// Matched scripts win over the FIFO queue, which wins over the fallback reply.

import type { EmulatedRequest, Reply, Script, ScriptMatch } from './types.ts'

interface Entry {
  script: Script
  remaining: number
}

export class ScriptBook {
  private entries: Entry[] = []
  readonly requests: EmulatedRequest[] = []

  constructor(private readonly fallback?: Reply) {}

  add(scripts: Script[]): void {
    for (const script of scripts) {
      this.entries.push({ script, remaining: script.repeat ? Infinity : (script.times ?? 1) })
    }
  }

  reset(): void {
    this.entries = []
    this.requests.length = 0
  }

  /** Number of scripts not yet consumed (repeating scripts count once). */
  pending(): number {
    return this.entries.length
  }

  take(req: EmulatedRequest): Script {
    this.requests.push(req)
    const entry =
      this.entries.find((e) => e.script.match !== undefined && matches(e.script.match, req)) ??
      this.entries.find((e) => e.script.match === undefined)
    if (!entry) return { reply: this.fallback ?? echo(req) }
    entry.remaining -= 1
    if (entry.remaining <= 0) this.entries.splice(this.entries.indexOf(entry), 1)
    return entry.script
  }
}

function matches(match: ScriptMatch | ((req: EmulatedRequest) => boolean), req: EmulatedRequest): boolean {
  if (typeof match === 'function') return match(req)
  if (match.vendor !== undefined && match.vendor !== req.vendor) return false
  if (match.model !== undefined && match.model !== req.model) return false
  if (match.textIncludes !== undefined && !req.lastText.includes(match.textIncludes)) return false
  return true
}

// Echo makes a standalone run useful with no script at all: you see your own message come back.
function echo(req: EmulatedRequest): Reply {
  return { text: `Emulated ${req.vendor} model ${req.model} received: ${req.lastText}` }
}
