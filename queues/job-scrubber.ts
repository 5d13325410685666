// Erasure's reach into BullMQ: removes every job of some conversations, with its payload, from their mailboxes,
// the pool queues and the dead-letter queue, and the queue events that carried those jobs' results. A job being
// handled right now is locked by its worker and cannot be removed: the sweep then fails as retryable.
import { Queue } from 'bullmq'
import type Redis from 'ioredis'
import { POOL_NAMES } from '../actors/protocol.ts'
import { RetryableError } from '../lib/errors.ts'
import { names } from './names.ts'
import { defineScript } from '../lib/redis-script.ts'

// Every state a job rests in, earliest first, so a job moving on during the sweep is still met. 'active' is
// searched too: its job may be done (or back in 'delayed' for a retry) by the time it is removed.
const STATES = ['delayed', 'prioritized', 'waiting-children', 'wait', 'paused', 'active', 'completed', 'failed'] as const
// Ids read per script call: each call reads that many payloads inside Redis, so it stays short.
const CHUNK = 200
// Long enough for the turn in flight to finish, usually.
const BUSY_RETRY_MS = 5000

// The ids of one state (a list or a sorted set), ARGV[2]..ARGV[3], whose payload holds one of the string fields
// ARGV[4..] (`name=value`, at any depth), or every id when none is given. Returns the number read, then the ids.
// A quote inside a JSON string is escaped, so `"name":"value"` matches only a real field.
const FIND_JOBS = `local kind = redis.call('TYPE', KEYS[1]).ok
local ids
if kind == 'list' then ids = redis.call('LRANGE', KEYS[1], ARGV[2], ARGV[3])
elseif kind == 'zset' then ids = redis.call('ZRANGE', KEYS[1], ARGV[2], ARGV[3])
else return {0} end
local wanted = {}
for i = 4, #ARGV do wanted[ARGV[i]] = true end
local out = {#ids}
for _, id in ipairs(ids) do
  if #ARGV < 4 then table.insert(out, id) else
    local data = redis.call('HGET', ARGV[1] .. id, 'data') or ''
    for name, value in string.gmatch(data, '"([%w_]+)":"([^"]*)"') do
      if wanted[name .. '=' .. value] then table.insert(out, id) break end
    end
  end
end
return out`

// Deletes the entries of an events stream that name one of the job ids ARGV[3..] ('completed' entries hold the
// job's result), reading ARGV[2] entries after ARGV[1]. Returns the last id read, or '' once at the end.
const DROP_EVENTS = `local from = ARGV[1] == '' and '-' or '(' .. ARGV[1]
local entries = redis.call('XRANGE', KEYS[1], from, '+', 'COUNT', ARGV[2])
local drop = {}
for i = 3, #ARGV do drop[ARGV[i]] = true end
for _, entry in ipairs(entries) do
  local fields = entry[2]
  for j = 1, #fields, 2 do
    if fields[j] == 'jobId' and drop[fields[j + 1]] then redis.call('XDEL', KEYS[1], entry[1]) break end
  end
end
if #entries < tonumber(ARGV[2]) then return '' end
return entries[#entries][1]`

/** Removes every job of the conversations and resolves to how many; rejects while one is being handled. */
export type JobScrubber = (conversationIds: string[]) => Promise<number>

/**
 * Mailboxes are swept whole (every job in one is its conversation's); the shared queues only of the jobs whose
 * payload names a conversation (`conversationId`), or a mailbox as the source of a dead letter.
 * @example const scrub = createJobScrubber(bull, 'switchboard'); await scrub(['conv_1'])
 */
/** `providers`: the deployment's providers, whose queues are swept with the other pools'. */
export function createJobScrubber(connection: Redis, prefix: string, providers: readonly string[] = []): JobScrubber {
  const findJobs = defineScript(connection, 'find_jobs', FIND_JOBS)
  const dropEvents = defineScript(connection, 'drop_job_events', DROP_EVENTS)

  async function find(queue: Queue, fields: string[]): Promise<string[]> {
    const found = new Set<string>()
    for (const state of STATES) {
      for (let start = 0, read = CHUNK; read === CHUNK; start += CHUNK) {
        const [count, ...ids] = (await findJobs([queue.keys[state]!], [queue.keys['']!, start, start + CHUNK - 1, ...fields])) as [number, ...string[]]
        read = count
        for (const id of ids) found.add(id)
      }
    }
    return [...found]
  }

  async function forgetEvents(queue: Queue, jobIds: string[]): Promise<void> {
    let after = ''
    do after = (await dropEvents([queue.keys.events!], [after, CHUNK, ...jobIds])) as string
    while (after !== '')
  }

  async function sweepQueue(name: string, fields: string[]): Promise<{ removed: number; busy: number }> {
    const queue = new Queue(name, { connection, prefix, skipVersionCheck: true })
    try {
      const ids = await find(queue, fields)
      let removed = 0
      // remove() answers 0 for a job locked by its worker.
      for (const id of ids) removed += await queue.remove(id)
      if (ids.length > 0) await forgetEvents(queue, ids)
      return { removed, busy: ids.length - removed }
    } finally {
      await queue.close()
    }
  }

  /** Removes the matching jobs of each queue; returns how many, or throws when one is being handled. */
  async function sweep(queueNames: string[], fields: string[]): Promise<number> {
    const sweeps = []
    for (const name of queueNames) sweeps.push(await sweepQueue(name, fields))
    const busy = sweeps.reduce((n, s) => n + s.busy, 0)
    if (busy > 0) throw new RetryableError('conflict', `${busy} job(s) of these conversations are being handled right now; retry when they are done`, BUSY_RETRY_MS)
    return sweeps.reduce((n, s) => n + s.removed, 0)
  }

  return async function scrub(conversationIds) {
    if (conversationIds.length === 0) return 0
    const fields = conversationIds.flatMap((id) => [`conversationId=${id}`, `source=${names.mailbox(id)}`])
    const mailboxes = () => sweep(conversationIds.map(names.mailbox), [])
    const shared = () => sweep([...POOL_NAMES.map(names.pool), ...providers.map(names.providerPool), names.deadLetter], fields)
    // Mailboxes first: a turn in flight stops the sweep before its pool calls are touched. Mailboxes again last,
    // for mail a pool job (outreach) sent while the shared queues were swept.
    let removed = 0
    for (const step of [mailboxes, shared, mailboxes]) removed += await step()
    return removed
  }
}
