// Pure campaign logic: the decision for each customer of an occurrence (send, defer past quiet hours, or
// skip with a reason), time zones, and stop replies. No I/O, no clock: callers pass the moment.

/**
 * Decides a page of candidates; the first restraint that holds is the skip reason.
 * @example const decisions = decideAll(candidates, spec, 'shipping-delay', clock.now())
 */
/** The Campaign spec as resources/ validates it. */
export type { CampaignSpec } from '../resources/index.ts'
export { decideAll, type Candidate, type Decision, type SkipReason } from './decide.ts'
export { localMinute, releaseAt, type QuietHours } from './quiet-hours.ts'
export { customerTimeZone } from './time-zones.ts'
/** A reply that is only a stop keyword opts the customer out of the channel. */
export { isStopReply } from './stop-reply.ts'
