// CSV parsing of the shipped training data: quoted fields with commas, doubled quotes and newlines.
import { describe, expect, test } from 'bun:test'
import { parseCsv, parseCsvRecords } from '../../../providers/local/csv.ts'
import { loadUtterances } from '../../../providers/local/dataset.ts'

describe('parseCsv', () => {
  test('handles quoted commas, doubled quotes, CRLF and newlines inside quotes', () => {
    const rows = parseCsv('a,b,c\r\n1,"x, ""y""",3\n2,"line one\nline two",\n')
    expect(rows).toEqual([['a', 'b', 'c'], ['1', 'x, "y"', '3'], ['2', 'line one\nline two', '']])
  })

  test('maps rows to header names', () => {
    expect(parseCsvRecords('k,v\nx,1')).toEqual([{ k: 'x', v: '1' }])
  })

  test('the shipped Bitext file parses into 3,624 utterances over 27 intents', () => {
    const rows = parseCsvRecords(require('node:fs').readFileSync(new URL('../../../data/intents/bitext-train.csv', import.meta.url).pathname, 'utf8'))
    expect(rows.length).toBe(3624)
    expect(new Set(rows.map((r) => r.intent)).size).toBe(27)
    expect(loadUtterances().length).toBeGreaterThan(3500) // exact duplicate texts dropped
  })
})
