// The provider edge's failure mapping: status classes, content filters, Retry-After parsing, redaction.

import { expect, test } from 'bun:test'
import { RetryableError, TerminalError } from '../../lib/errors.ts'
import { providerFailure, redact, retryAfterMs } from '../../providers/errors.ts'

const headers = (h: Record<string, string>) => (name: string) => h[name]

test.each([
  [429, RetryableError, 'provider.rate_limited'],
  [408, RetryableError, 'provider.timeout'],
  [500, RetryableError, 'provider.unavailable'],
  [503, RetryableError, 'provider.unavailable'],
  [529, RetryableError, 'provider.unavailable'],
  [400, TerminalError, 'provider.rejected'],
  [401, TerminalError, 'provider.rejected'],
  [404, TerminalError, 'provider.rejected'],
  [422, TerminalError, 'provider.rejected'],
] as const)('HTTP %d maps to %p %s', (status, cls, code) => {
  const err = providerFailure('p', { status, message: 'x' }, [])
  expect(err).toBeInstanceOf(cls)
  expect(err.code).toBe(code)
})

test('content filter codes are terminal even on a 400', () => {
  const err = providerFailure('azure', { status: 400, vendorCode: 'content_filter', message: 'filtered' }, [])
  expect(err).toBeInstanceOf(TerminalError)
  expect(err.code).toBe('provider.content_filtered')
})

test('no status: malformed and connection failures are retryable', () => {
  expect(providerFailure('p', { kind: 'malformed', message: 'x' }, []).code).toBe('provider.malformed')
  expect(providerFailure('p', { kind: 'connection', message: 'x' }, [])).toBeInstanceOf(RetryableError)
})

test('Retry-After: seconds, HTTP date, retry-after-ms, garbage', () => {
  expect(retryAfterMs(headers({ 'retry-after': '2' }))).toBe(2000)
  expect(retryAfterMs(headers({ 'retry-after': '0.5' }))).toBe(500)
  expect(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250)
  const now = Date.parse('2025-01-01T00:00:00Z')
  expect(retryAfterMs(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }), now)).toBe(5000)
  expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined()
  expect(retryAfterMs(headers({}))).toBeUndefined()
})

test('secrets and key-shaped tokens are redacted from messages', () => {
  const msg = redact('bad key my-own-secret-123 and sk-abcdefghijkl and AIzaSyA1234567890abc', ['my-own-secret-123'])
  expect(msg).toBe('bad key [redacted] and [redacted] and [redacted]')
  const err = providerFailure('p', { status: 401, message: 'Incorrect key my-own-secret-123' }, ['my-own-secret-123'])
  expect(err.message).not.toContain('my-own-secret-123')
})
