// The pure decision: which restraint wins, quiet hours across midnight and in the customer's own zone, and
// the stop keywords. No I/O.
import { describe, expect, test } from 'bun:test'
import { customerTimeZone, decideAll, isStopReply, localMinute, releaseAt, type Candidate, type CampaignSpec } from '../../outreach/index.ts'
import { AUDIENCE_FIELDS } from '../../resources/index.ts'
import { AUDIENCE_COLUMNS } from '../../storage/index.ts'
import { validateSpec } from '../../resources/index.ts'

const spec = (extra: Record<string, unknown> = {}): CampaignSpec => validateSpec('Campaign', {
  tenant: 't', trigger: { event: { type: 'order.status_changed' } }, audience: { source: 'retail.orders' },
  message: { template: 'Hi {{first_name}} about {{order_ids}} ({{campaign}})' }, channel: 'email', replyAgent: 'a', ...extra,
})

const candidate = (extra: Partial<Candidate> = {}): Candidate => ({
  customerRef: 'u1', address: 'a@b.c', fields: { first_name: 'Ada', order_ids: '#W1' }, consent: null, suppressed: false,
  openEscalation: false, recentMessages: 0, timeZone: null, country: 'USA', state: 'NY', ...extra,
})

// 2026-01-15 12:00 UTC: 07:00 in New York, 21:00 in Tokyo.
const NOON_UTC = Date.UTC(2026, 0, 15, 12, 0)

describe('decideAll', () => {
  test('sends the template filled from the tools\' data', () => {
    expect(decideAll([candidate()], spec(), 'delay', NOON_UTC)).toEqual([{ outcome: 'send', text: 'Hi Ada about #W1 (delay)' }])
  })

  test('the first restraint that holds is the reason', () => {
    const s = spec({ consent: { requireOptIn: true }, frequencyCap: { max: 1, periodHours: 24 } })
    const cases: Array<[Partial<Candidate>, string]> = [
      [{ suppressed: true, consent: 'out' }, 'suppressed'],
      [{ consent: 'out', openEscalation: true }, 'opted_out'],
      [{ consent: null }, 'no_opt_in'],
      [{ consent: 'in', address: null }, 'no_address'],
      [{ consent: 'in', openEscalation: true, recentMessages: 5 }, 'escalation_open'],
      [{ consent: 'in', recentMessages: 1 }, 'frequency_cap'],
    ]
    for (const [facts, reason] of cases) expect(decideAll([candidate(facts)], s, 'c', NOON_UTC)).toEqual([{ outcome: 'skip', reason } as never])
    expect(decideAll([candidate({ consent: 'in' })], s, 'c', NOON_UTC)[0]!.outcome).toBe('send')
  })

  test('quiet hours defer to their end in the customer\'s zone, across midnight', () => {
    const s = spec({ quietHours: { start: '21:00', end: '08:00', defaultTimeZone: 'Asia/Tokyo' } })
    const [ny, tokyo, unknown] = decideAll([
      candidate({ state: 'NY' }), candidate({ timeZone: 'Asia/Tokyo' }), candidate({ country: 'France', state: null }),
    ], s, 'c', NOON_UTC)
    // 07:00 in New York: an hour to go.
    expect(ny).toMatchObject({ outcome: 'defer', dueAt: NOON_UTC + 60 * 60_000 })
    // 21:00 in Tokyo: eleven hours to go; an unknown zone is the campaign's default (Tokyo).
    expect(tokyo).toMatchObject({ outcome: 'defer', dueAt: NOON_UTC + 11 * 60 * 60_000 })
    expect(unknown).toEqual(tokyo)
    expect(decideAll([candidate({ state: 'CA' })], spec({ quietHours: { start: '01:00', end: '03:00' } }), 'c', NOON_UTC)[0]!.outcome).toBe('send')
  })

  test('local minutes and release times', () => {
    expect(localMinute('America/New_York', NOON_UTC)).toBe(7 * 60)
    expect(releaseAt({ start: '21:00', end: '08:00' }, 22 * 60 + 30, NOON_UTC)).toBe(NOON_UTC + 9.5 * 60 * 60_000)
    expect(releaseAt({ start: '09:00', end: '17:00' }, 8 * 60, NOON_UTC)).toBe(NOON_UTC)
    expect(customerTimeZone(null, 'USA', 'ca', 'UTC')).toBe('America/Los_Angeles')
    expect(customerTimeZone('Europe/Paris', 'USA', 'CA', 'UTC')).toBe('Europe/Paris')
  })
})

test('stop keywords alone opt out; a sentence that mentions stopping does not', () => {
  for (const t of ['STOP', ' stop. ', 'Unsubscribe', 'opt out']) expect(isStopReply(t)).toBe(true)
  for (const t of ["don't stop my order", 'cancel', 'stop the delivery please']) expect(isStopReply(t)).toBe(false)
})

test('campaign validation names each path', () => {
  expect(() => spec({ trigger: {} })).toThrow('/spec/trigger: set exactly one of schedule or event')
  expect(() => spec({ audience: { source: 'retail.users', where: [{ field: 'status', in: ['x'] }] } })).toThrow('/spec/audience/where/0/field')
  expect(() => spec({ message: { template: 'Hi {{password}}' } })).toThrow('unknown variable {{password}}')
  expect(() => spec({ tenant: '*' })).toThrow('/spec/tenant')
  expect(() => spec({ trigger: { schedule: { cron: '0 9 * * 1', timeZone: 'Mars/Olympus' } } })).toThrow('unknown time zone')
})

test('the fields a campaign may filter on are the columns the audience query maps', () => {
  for (const [source, fields] of Object.entries(AUDIENCE_FIELDS)) {
    expect([...fields].sort()).toEqual(Object.keys(AUDIENCE_COLUMNS[source as keyof typeof AUDIENCE_COLUMNS]).sort())
  }
})
