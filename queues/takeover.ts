// Taking over a mailbox whose previous owner died mid-message. Holding the lease makes us the only owner,
// so its in-flight message is put back at the FRONT of the mailbox before anything newer is handled
// (BullMQ's own stalled check would let newer mail overtake it).

// BullMQ workers take from the right of `wait` (RPOPLPUSH), so RPUSH puts a job next in line; `stc` counts
// the redelivery, which handlers see as a delivery attempt above 1.
// `base` is the mailbox queue's key prefix (`<prefix>:mailbox-<id>:`). Run by the lease claim (lease.ts), in the
// same step as it takes the lease.
export const REQUEUE_IN_FLIGHT_LUA = `local function requeue_in_flight(base)
  local ids = redis.call('LRANGE', base .. 'active', 0, -1)
  for i = 1, #ids do
    local id = ids[i]
    redis.call('DEL', base .. id .. ':lock')
    redis.call('LREM', base .. 'active', 1, id)
    redis.call('RPUSH', base .. 'wait', id)
    redis.call('HINCRBY', base .. id, 'stc', 1)
  end
  if #ids > 0 then redis.call('ZADD', base .. 'marker', 0, '0') end
  return #ids
end`
