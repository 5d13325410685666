// bench:turn-writes: what a turn's two writes cost Postgres (its first statement, which stores the customer's message
// and the turn's facts, and the reply's), through storage's own turnSteps at 8 connections, and the share of the
// triggers that are not the turn's own work: the same writes with the KPI marking triggers disabled, and with the
// ticket-reply trigger disabled, rounds alternated in one run.
// Usage: bun bench/turn-writes.ts [turns]; the last stdout line is the JSON result.
import { createTurnSteps } from '../storage/postgres/turn-steps.ts'
import { createBenchEnv, percentile, progress, round } from './support.ts'

const TURNS = Number(process.argv[2] ?? 1500)
const CONVERSATIONS = 500
const CONNECTIONS = 8
const ROUNDS = 10
// The triggers that log a conversation's change for the KPI sweep when a turn writes (migrations 265, 292): its
// message, its facts, its reply. And the one that queues a reply for a ticket (202, 293).
const MARKING = [['messages', 'messages_kpi_insert'], ['turn_facts', 'turn_facts_kpi']] as const
const TICKET = [['messages', 'messages_ticket_reply']] as const

const env = await createBenchEnv('turnwrites')
const turnSteps = createTurnSteps(env.sql)
let next = 0

/** µs of wall time per turn, `TURNS` turns over `CONNECTIONS` concurrent callers. */
async function run(label: string): Promise<number> {
  const first = next
  next += TURNS
  let i = first
  const started = performance.now()
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (i < first + TURNS) {
      const n = i++
      const conversationId = `c${n % CONVERSATIONS}`
      const turnId = `${label}-${n}`
      await turnSteps.begin({ turnId, conversationId, text: 'where is my order?', conversationStored: n >= CONVERSATIONS })
      await turnSteps.recordReply(conversationId, turnId, 'reply', { id: `${turnId}.reply`, text: 'It is on its way.' })
    }
  }))
  return ((performance.now() - started) * 1000) / TURNS
}

const setTriggers = (triggers: readonly (readonly [string, string])[], on: boolean) => Promise.all(triggers.map(([table, trigger]) =>
  env.sql.unsafe(`alter table ${table} ${on ? 'enable' : 'disable'} trigger ${trigger}`)))

progress(`warm-up: ${TURNS} turns over ${CONVERSATIONS} conversations…`)
await run('warm')
// Alternated, so a change in the machine's load falls on all three.
const all: number[] = []
const unmarked: number[] = []
const unticketed: number[] = []
for (let r = 0; r < ROUNDS; r++) {
  all.push(await run(`a${r}`))
  await setTriggers(MARKING, false)
  unmarked.push(await run(`m${r}`))
  await setTriggers(MARKING, true)
  await setTriggers(TICKET, false)
  unticketed.push(await run(`t${r}`))
  await setTriggers(TICKET, true)
  progress(`  round ${r + 1}/${ROUNDS}: ${round(all.at(-1)!, 0)} µs per turn; without the marks ${round(unmarked.at(-1)!, 0)}, ` +
    `without the ticket trigger ${round(unticketed.at(-1)!, 0)}`)
}
await env.cleanup()
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50)
// Each round's own difference: the machine's load changes between rounds more than within one.
console.log(JSON.stringify({
  bench: 'turn-writes', turns: TURNS, rounds: ROUNDS, connections: CONNECTIONS,
  us_per_turn: round(median(all), 0), us_per_turn_without_marks: round(median(unmarked), 0),
  us_per_turn_without_ticket_trigger: round(median(unticketed), 0),
  marks_us_per_turn: round(median(all.map((a, r) => a - unmarked[r]!)), 0),
  ticket_trigger_us_per_turn: round(median(all.map((a, r) => a - unticketed[r]!)), 0),
}))
