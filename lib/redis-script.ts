// Our own Lua scripts, sent by SHA (EVALSHA) after their first use on a connection instead of as full text
// on every call, which also spares Redis hashing the text each time: these run on every request and turn.
import type Redis from 'ioredis'

export type RunScript = (keys: string[], args: Array<string | number>) => Promise<unknown>

export function defineScript(redis: Redis, name: string, lua: string): RunScript {
  const command = `switchboard_${name}`
  const client = redis as unknown as Record<string, (...args: Array<string | number>) => Promise<unknown>>
  if (typeof client[command] !== 'function') redis.defineCommand(command, { lua })
  return (keys, args) => client[command]!(keys.length, ...keys, ...args)
}
