// One customer of a campaign's audience with what restraint needs to know about them: loaded in bulk by
// storage/outreach, decided by outreach/. A leaf both can import.

export interface Candidate {
  customerRef: string
  /** The channel address (an email), or null when the tools hold none for this channel. */
  address: string | null
  /** Template values from the tools' data. */
  fields: Readonly<Record<string, string>>
  consent: 'in' | 'out' | null
  suppressed: boolean
  openEscalation: boolean
  /** Proactive messages sent or scheduled to the customer within the cap's period, by any campaign. */
  recentMessages: number
  timeZone: string | null
  country: string | null
  state: string | null
}
