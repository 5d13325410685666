// The emulator on its own: script selection, latency, faults, the control API and request recording,
// spoken to with plain fetch so these hold whatever the SDKs do.

import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import { createVendorEmulator } from '../../emulator/index.ts'

const emu = createVendorEmulator()
afterAll(() => emu.close())
beforeEach(() => emu.reset())

function chat(text: string, extra: Record<string, unknown> = {}, model = 'm') {
  return fetch(`${emu.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-secret-value' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: text }], ...extra }),
  })
}

async function replyText(res: Response): Promise<string> {
  const body = (await res.json()) as { choices: { message: { content: string } }[] }
  return body.choices[0]!.message.content
}

describe('script selection', () => {
  test('FIFO order, then the echo fallback', async () => {
    emu.script({ reply: { text: 'first' } }, { reply: { text: 'second' } })
    expect(await replyText(await chat('a'))).toBe('first')
    expect(await replyText(await chat('b'))).toBe('second')
    expect(await replyText(await chat('c'))).toContain('received: c')
    expect(emu.pending()).toBe(0)
  })

  test('a matched script wins over the queue; times and repeat bound its use', async () => {
    emu.script({ reply: { text: 'queued' } })
    emu.script({ match: { textIncludes: 'refund' }, times: 2, reply: { text: 'refund script' } })
    emu.script({ match: { model: 'flaky' }, repeat: true, fault: { kind: 'status', status: 503 } })
    expect(await replyText(await chat('I want a refund'))).toBe('refund script')
    expect(await replyText(await chat('refund again'))).toBe('refund script')
    expect(await replyText(await chat('refund third time'))).toBe('queued')
    for (let i = 0; i < 3; i++) expect((await chat('x', {}, 'flaky')).status).toBe(503)
  })

  test('function matchers see the parsed request', async () => {
    emu.script({ match: (req) => req.system === 'be brief', reply: { text: 'brief' } })
    const res = await fetch(`${emu.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'c', system: 'be brief', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(((await res.json()) as { content: { text: string }[] }).content[0]?.text).toBe('brief')
  })
})

describe('latency and faults', () => {
  test('fixed latency delays the response', async () => {
    emu.script({ latencyMs: 120, reply: { text: 'slow' } })
    const t0 = performance.now()
    await (await chat('x')).text()
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110)
  })

  test('per-token latency paces the stream: the first token arrives well before the last', async () => {
    emu.script({ perTokenMs: 40, reply: { text: 'one two three four five six' } })
    const t0 = performance.now()
    const res = await chat('x', { stream: true })
    const reader = res.body!.getReader()
    let first = 0
    let all = ''
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (!first && new TextDecoder().decode(value).includes('"content":"one')) first = performance.now() - t0
      all += new TextDecoder().decode(value)
    }
    const total = performance.now() - t0
    expect(total).toBeGreaterThanOrEqual(6 * 40 - 10)
    expect(first).toBeGreaterThan(0)
    expect(first).toBeLessThan(total - 100)
    expect(all.trim().endsWith('data: [DONE]')).toBe(true)
  })

  test('429 carries Retry-After and the vendor error shape', async () => {
    emu.script({ fault: { kind: 'status', status: 429, retryAfterSeconds: 3 } })
    const res = await chat('x')
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('3')
    expect(await res.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' } })
  })

  test('malformed JSON is a 200 whose body does not parse', async () => {
    emu.script({ fault: { kind: 'malformed' } })
    const res = await chat('x')
    expect(res.status).toBe(200)
    await expect(res.json()).rejects.toThrow()
  })

  test('a cut stream ends in a connection error, not a clean end', async () => {
    emu.script({ fault: { kind: 'cut', afterFrames: 2 }, reply: { text: 'a b c d e f' } })
    const res = await chat('x', { stream: true })
    await expect(res.text()).rejects.toThrow()
  })

  test('a hang never answers, and close() releases it', async () => {
    const own = createVendorEmulator()
    own.script({ fault: { kind: 'hang' } })
    const pending = fetch(`${own.url}/v1/chat/completions`, { method: 'POST', body: '{"model":"m","messages":[]}' }).then(
      (r) => r.status,
      () => 'closed',
    )
    const early = await Promise.race([pending, Bun.sleep(150).then(() => 'still hanging')])
    expect(early).toBe('still hanging')
    await own.close()
    expect(['closed', 499]).toContain(await pending)
  })
})

describe('routing and recording', () => {
  test('unknown paths are 404 and bad JSON is a vendor-shaped 400', async () => {
    expect((await fetch(`${emu.url}/v2/nothing`, { method: 'POST', body: '{}' })).status).toBe(404)
    const bad = await fetch(`${emu.url}/v1/messages`, { method: 'POST', body: '{nope' })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } })
  })

  test('requests are recorded with credentials redacted', async () => {
    await chat('remember me')
    expect(emu.requests).toHaveLength(1)
    expect(emu.requests[0]).toMatchObject({ vendor: 'openai', model: 'm', lastText: 'remember me', stream: false })
    expect(emu.requests[0]?.headers.authorization).toBe('[redacted]')
  })

  test('the control API queues JSON scripts and lists requests', async () => {
    const add = await fetch(`${emu.url}/_emulator/scripts`, {
      method: 'POST',
      body: JSON.stringify([{ match: { vendor: 'openai' }, fault: { kind: 'status', status: 500 } }]),
    })
    expect(add.status).toBe(201)
    expect((await chat('x')).status).toBe(500)
    const listed = (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as unknown[]
    expect(listed).toHaveLength(1)
    expect(JSON.stringify(listed)).not.toContain('sk-secret-value')
    expect((await fetch(`${emu.url}/_emulator/scripts`, { method: 'DELETE' })).status).toBe(204)
  })
})
