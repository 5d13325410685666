// Redis connections for BullMQ. Workers need maxRetriesPerRequest null so a Redis blip pauses them
// instead of failing jobs.
import Redis, { type RedisOptions } from 'ioredis'
import { logRedisErrors } from '../lib/redis-errors.ts'
import '../lib/tracing-channels.ts'

type ScriptFn = (...args: unknown[]) => unknown
interface SharedScript {
  lua: string
  script: unknown
  fn: ScriptFn
  fnBuffer: ScriptFn
}

// Every BullMQ Worker (the pools', the job queues', outreach's) duplicates its connection, and BullMQ loads ~60 Lua
// scripts into each copy, hashing each one (SHA-1) again. The scripting functions only use `this` and their script,
// so one set serves them all.
const sharedScripts = new Map<string, SharedScript>()

class ScriptSharingRedis extends Redis {
  override defineCommand(name: string, definition: { lua: string; numberOfKeys?: number; readOnly?: boolean }): void {
    const self = this as unknown as Record<string, unknown> & { scriptsSet: Record<string, unknown> }
    const key = `${name}\0${this.options.keyPrefix ?? ''}`
    const hit = sharedScripts.get(key)
    if (hit && hit.lua === definition.lua) {
      self.scriptsSet[name] = hit.script
      self[name] = hit.fn
      self[`${name}Buffer`] = hit.fnBuffer
      return
    }
    super.defineCommand(name, definition)
    sharedScripts.set(key, {
      lua: definition.lua, script: self.scriptsSet[name], fn: self[name] as ScriptFn, fnBuffer: self[`${name}Buffer`] as ScriptFn,
    })
  }

  // BullMQ duplicates the connection for every Worker's blocking reads. The parent connection already saw Redis
  // ready, so the copies skip the INFO round trip of the ready check.
  override duplicate(override?: Partial<RedisOptions>): Redis {
    const copy = new ScriptSharingRedis({ ...this.options, enableReadyCheck: false, ...override })
    logRedisErrors(copy, copy.options.connectionName ?? 'bullmq')
    return copy
  }
}

export interface RedisConnectionOptions {
  /**
   * Batch the commands issued in one tick into one socket write. Worth it where many independent requests
   * share the connection (the API); it costs a tick of latency, so workers leave it off. @defaultValue false
   */
  autoPipelining?: boolean
}

export function createRedis(url: string, name: string, options: RedisConnectionOptions = {}): Redis {
  const client = new ScriptSharingRedis(url, {
    maxRetriesPerRequest: null, enableReadyCheck: true, connectionName: name, enableAutoPipelining: options.autoPipelining ?? false,
  })
  logRedisErrors(client, name)
  return client
}
