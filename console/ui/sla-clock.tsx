// SLA clocks: time left to a target, or how far past it, updated every second by one shared timer.
import { useEffect, useState } from 'preact/hooks'

const listeners = new Set<(now: number) => void>()
let timer: ReturnType<typeof setInterval> | undefined

/** The current time, re-rendering the caller every second. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    listeners.add(setNow)
    timer ??= setInterval(() => listeners.forEach((l) => l(Date.now())), 1000)
    return () => {
      listeners.delete(setNow)
      if (listeners.size === 0) (clearInterval(timer), (timer = undefined))
    }
  }, [])
  return now
}

export function formatSpan(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}

/** "4m 10s left" or "2m 03s over", with the state in text as well as colour; `stopped` once nothing is due any more. */
export function SlaClock({ label, due, met, stopped, now }: { label: string; due: string | null; met?: string | null; stopped?: boolean; now: number }) {
  if (!due) return null
  if (met) return <span class="clock met">{label}: met</span>
  if (stopped) return <span class="clock">{label}: stopped</span>
  const left = Date.parse(due) - now
  const state = left < 0 ? 'over' : left < 60_000 ? 'soon' : 'ok'
  return <span class={`clock ${state}`}>{label}: {formatSpan(left)} {left < 0 ? 'over' : 'left'}</span>
}
