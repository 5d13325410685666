// Whether one customer of a campaign occurrence is contacted now, later (quiet hours) or not at all, and why.
// Every restraint is decided here, in one place, from facts the caller loaded in bulk. Pure: no I/O, no clock.
import { renderTemplate, type CampaignSpec } from '../resources/index.ts'
import { localMinute, releaseAt } from './quiet-hours.ts'
import { customerTimeZone } from './time-zones.ts'
import type { Candidate } from '../lib/outreach-candidate.ts'

export type { Candidate }

/** Why a customer is not contacted; the checks run in this order and the first that holds is recorded. */
export type SkipReason = 'suppressed' | 'opted_out' | 'no_opt_in' | 'no_address' | 'escalation_open' | 'frequency_cap'


export type Decision =
  | { outcome: 'send'; text: string }
  | { outcome: 'defer'; text: string; dueAt: number }
  | { outcome: 'skip'; reason: SkipReason }

function skipReason(c: Candidate, campaign: CampaignSpec): SkipReason | undefined {
  if (c.suppressed) return 'suppressed'
  if (c.consent === 'out') return 'opted_out'
  if (campaign.consent.requireOptIn && c.consent !== 'in') return 'no_opt_in'
  if (c.address === null && campaign.channel !== 'chat') return 'no_address'
  if (c.openEscalation) return 'escalation_open'
  if (campaign.frequencyCap && c.recentMessages >= campaign.frequencyCap.max) return 'frequency_cap'
  return undefined
}

/**
 * Decides a page of candidates at `nowMs`. The local time of each zone is computed once per call, which is
 * what keeps a 100,000-customer audience at tens of thousands of decisions a second.
 */
export function decideAll(candidates: readonly Candidate[], campaign: CampaignSpec, campaignName: string, nowMs: number): Decision[] {
  const minutes = new Map<string, number>()
  const quiet = campaign.quietHours
  return candidates.map((c): Decision => {
    const reason = skipReason(c, campaign)
    if (reason) return { outcome: 'skip', reason }
    const text = renderTemplate(campaign.message.template, { ...c.fields, campaign: campaignName })
    if (!quiet) return { outcome: 'send', text }
    const zone = customerTimeZone(c.timeZone, c.country, c.state, quiet.defaultTimeZone)
    let minute = minutes.get(zone)
    if (minute === undefined) {
      minute = localMinute(zone, nowMs)
      minutes.set(zone, minute)
    }
    const dueAt = releaseAt(quiet, minute, nowMs)
    return dueAt > nowMs ? { outcome: 'defer', text, dueAt } : { outcome: 'send', text }
  })
}
