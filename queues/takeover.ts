// Taking over a mailbox whose previous owner died mid-message. Holding the lease makes us the only owner,
// so its in-flight message is put back at the FRONT of the mailbox before anything newer is handled
// (BullMQ's own stalled check would let newer mail overtake it).
import type Redis from 'ioredis'
import { defineScript } from '../lib/redis-script.ts'

// BullMQ workers take from the right of `wait` (RPOPLPUSH), so RPUSH puts a job next in line; `stc` counts
// the redelivery, which handlers see as a delivery attempt above 1.
const REQUEUE_IN_FLIGHT = `local ids = redis.call('LRANGE', KEYS[1], 0, -1)
for i = 1, #ids do
  local id = ids[i]
  redis.call('DEL', ARGV[1] .. id .. ':lock')
  redis.call('LREM', KEYS[1], 1, id)
  redis.call('RPUSH', KEYS[2], id)
  redis.call('HINCRBY', ARGV[1] .. id, 'stc', 1)
end
if #ids > 0 then redis.call('ZADD', KEYS[3], 0, '0') end
return #ids`

/** Returns how many orphaned in-flight messages were put back in front of the mailbox. */
export async function requeueInFlight(redis: Redis, prefix: string, queueName: string): Promise<number> {
  const base = `${prefix}:${queueName}:`
  const run = defineScript(redis, 'requeue_in_flight', REQUEUE_IN_FLIGHT)
  return (await run([`${base}active`, `${base}wait`, `${base}marker`], [base])) as number
}
