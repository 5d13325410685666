// A property test over the API's own OpenAPI document (/docs/json): every string field of every route (path,
// query and body, record keys included) is given NUL, a lone surrogate, odd Unicode and a huge value; every number
// field a fraction, a huge and a negative value. No answer is ever a 5xx, NUL and lone surrogates are refused by
// field, whole numbers refuse fractions, and a refused request leaves every table as it was. The API runs without
// workers, so nothing else writes while a request is judged.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { ADMIN_TOKEN, newConversation, startApiHarness, type ApiHarness } from './harness.ts'

type Schema = Record<string, any>
interface Variant { name: string; value: unknown; mustRefuse: boolean }
interface Field { in: 'path' | 'query' | 'body'; name: string; at: (string | number)[]; kind: 'string' | 'number' | 'integer' | 'key' }
interface Operation { method: string; path: string; params: Schema[]; body?: Schema }

let h: ApiHarness
const fixtures: Record<string, string> = {}
let tables: string[] = []

beforeAll(async () => {
  h = await startApiHarness({ ROLE: 'api', API_RATE_LIMIT_PER_S: '1000000' })
  fixtures.conversation = await newConversation(h, h.a.key, { customer: { email: 'props@example.com' } })
  fixtures.customer = (await h.call('GET', `/v1/conversations/${fixtures.conversation}`)).body.customerId
  fixtures.escalation = 'esc_props'
  await h.platform.storage.escalations.open({ id: fixtures.escalation, conversationId: fixtures.conversation, reason: 'test' })
  fixtures.webhook = (await h.call('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', events: ['reply.completed'] } })).body.id
  tables = (await h.db.sql<{ name: string }[]>`select table_name as name from information_schema.tables
    where table_schema = ${h.db.schema} and table_type = 'BASE TABLE' order by 1`).map((r) => r.name)
})
afterAll(async () => { await h.close() })

const STRING_VARIANTS: Variant[] = [
  { name: 'NUL', value: 'a\u0000b', mustRefuse: true },
  // In a URL it can only arrive as undecodable bytes, which reach no route as a surrogate: refused in bodies.
  { name: 'lone surrogate', value: 'a\ud800b', mustRefuse: true },
  { name: 'odd unicode', value: '\u202e\u200b\ufeff\uffff 👩🏽‍💻 é ﷽', mustRefuse: false },
  // Under the 64 KiB body cap, so each field's own limit answers.
  { name: 'huge', value: 'x'.repeat(60_000), mustRefuse: false },
]
const NUMBER_VARIANTS: Variant[] = [
  { name: 'fraction', value: 1.5, mustRefuse: true },
  { name: 'huge', value: 1e20, mustRefuse: false },
  { name: 'negative', value: -1, mustRefuse: false },
]

/** Path parameters that name real fixtures where a route has them, so a mutated field reaches the handler. */
function pathParam(path: string, name: string): string {
  if (name === 'id' && path.startsWith('/v1/conversations')) return fixtures.conversation!
  if (name === 'id' && path.startsWith('/v1/escalations')) return fixtures.escalation!
  if (name === 'id' && path.startsWith('/v1/customers')) return fixtures.customer!
  if (name === 'id' && path.startsWith('/v1/webhooks')) return fixtures.webhook!
  return ({ id: 'key_unknown', tenantId: h.a.id, keyId: 'key_unknown', agent: 'demo', turnId: 'turn_x', source: 'generic' } as Record<string, string>)[name] ?? 'x'
}

const SAMPLES = ['demo', 'a@b.cd', '+15550100', 'http://127.0.0.1:9/hook', 'x']
function sample(s: Schema): unknown {
  if (s.enum) return s.enum[0]
  if (s.const !== undefined) return s.const
  if (s.anyOf) return sample(s.anyOf[0])
  if (s.type === 'object') return Object.fromEntries((s.required ?? []).map((k: string) => [k, sample(s.properties[k])]))
  if (s.type === 'array') return Array.from({ length: s.minItems ?? 0 }, () => sample(s.items))
  if (s.type === 'integer' || s.type === 'number') return s.minimum ?? 1
  if (s.type === 'boolean') return true
  return SAMPLES.find((v) => !s.pattern || new RegExp(s.pattern).test(v)) ?? 'x'
}

/** Every mutable leaf of a body schema: strings, numbers, and the keys of records. */
function bodyFields(s: Schema, at: (string | number)[] = []): Field[] {
  const field = (kind: Field['kind'], path = at): Field => ({ in: 'body', name: `/${path.join('/')}`, at: path, kind })
  if (s.anyOf) return s.anyOf.map((branch: Schema) => bodyFields(branch, at)).find((f: Field[]) => f.length > 0) ?? []
  if (s.type === 'object') {
    const named = Object.entries(s.properties ?? {}).flatMap(([k, v]) => bodyFields(v as Schema, [...at, k]))
    const record = s.patternProperties || (s.additionalProperties && typeof s.additionalProperties === 'object')
    return record ? [...named, field('key'), field('string', [...at, 'k'])] : named
  }
  if (s.type === 'array') return bodyFields(s.items, [...at, 0])
  if (s.type === 'string' || s.type === 'integer' || s.type === 'number') return [field(s.type)]
  return []
}

function queryKind(s: Schema): Field['kind'] {
  const types = [s.type, ...(s.anyOf ?? []).map((b: Schema) => b.type)]
  return types.includes('integer') ? 'integer' : types.includes('number') ? 'number' : 'string'
}

function fieldsOf(op: Operation): Field[] {
  const params = op.params.map((p): Field => ({ in: p.in, name: `/${p.name}`, at: [p.name], kind: p.in === 'path' ? 'string' : queryKind(p.schema ?? {}) }))
  return [...params, ...(op.body ? bodyFields(op.body) : [])]
}

function setAt(target: any, at: (string | number)[], value: unknown): void {
  const last = at.length - 1
  at.slice(0, last).forEach((k, i) => (target = target[k] ??= typeof at[i + 1] === 'number' ? [] : {}))
  target[at[last]!] = value
}

// A lone surrogate has no UTF-8 form: a client can only send its generalized UTF-8 bytes.
const encode = (v: string) => { try { return encodeURIComponent(v) } catch { return v.replace(/[\ud800-\udfff]/g, '%ED%A0%80') } }

function request(op: Operation, field: Field, value: unknown): { path: string; body?: unknown } {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encode(field.in === 'path' && field.at[0] === name ? String(value) : pathParam(op.path, name)))
  const query = field.in === 'query' ? `?${encode(String(field.at[0]))}=${encode(String(value))}` : ''
  if (!op.body) return { path: path + query }
  const body = sample(op.body) as Record<string, unknown>
  if (field.in === 'body' && field.kind === 'key') setAt(body, [...field.at, String(value)], 'v')
  else if (field.in === 'body') setAt(body, field.at, value)
  return { path: path + query, body }
}

/** Like the harness's call, but an accepted event stream is answered by its status and closed, not read forever. */
async function send(method: string, path: string, key: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const raw = body === undefined ? undefined : JSON.stringify(body)
  const headers: Record<string, string> = { authorization: `Bearer ${key}` }
  if (raw !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(raw)) })
  const res = await h.platform.app!.handle(new Request(`http://localhost${path}`, { method, headers, body: raw }))
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) return (await res.body?.cancel(), { status: res.status, body: null })
  const text = await res.text()
  try {
    return { status: res.status, body: JSON.parse(text) }
  } catch {
    return { status: res.status, body: text }
  }
}

async function fingerprint(): Promise<string> {
  const parts = tables.map((t) => `(select coalesce(md5(string_agg(x::text, ',' order by x::text)), '') from "${t}" x)`)
  const [row] = await h.db.sql.unsafe(`select concat_ws('|', ${parts.join(', ')}) as f`)
  return row!.f as string
}

async function operations(): Promise<Operation[]> {
  const spec = (await h.call('GET', '/docs/json', { key: null })).body
  return Object.entries(spec.paths as Record<string, Record<string, Schema>>).flatMap(([path, ops]) =>
    Object.entries(ops).filter(([method]) => ['get', 'post', 'put', 'delete'].includes(method) && path.startsWith('/v1/')).map(([method, op]) => ({
      method: method.toUpperCase(), path, params: op.parameters ?? [], body: op.requestBody?.content?.['application/json']?.schema,
    })))
}

interface Tally { failures: string[]; sent: number; named: number }

/** Sends one mutated request and checks the properties; `label` names the case in a failure. */
async function probe(t: Tally, label: string, req: { method: string; path: string; body?: unknown; key: string }, field: Field, variant: Variant) {
  const refused = variant.mustRefuse && (variant.name !== 'lone surrogate' || field.in === 'body') && field.kind !== 'number'
  const before = await fingerprint()
  const res = await send(req.method, req.path, req.key, req.body)
  t.sent++
  const what = `${label} ${field.in} ${field.name} ${variant.name}: ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`
  if (res.status >= 500) t.failures.push(what)
  if (res.status >= 400 && (await fingerprint()) !== before) t.failures.push(`${what} (stored something)`)
  if (refused && res.status !== 400) t.failures.push(`${what} (not refused)`)
  if (refused && JSON.stringify(res.body).includes(String(field.at.at(-1)))) t.named++
}

const variantsOf = (field: Field) => (field.kind === 'integer' || field.kind === 'number' ? NUMBER_VARIANTS : STRING_VARIANTS)
const valueOf = (field: Field, variant: Variant) => (field.in === 'query' || field.kind === 'key' ? String(variant.value) : variant.value)

test('no field of any route answers a 5xx or stores anything when it refuses', async () => {
  const t: Tally = { failures: [], sent: 0, named: 0 }
  for (const op of await operations()) {
    const key = op.path.startsWith('/v1/admin') ? ADMIN_TOKEN : h.a.key
    for (const field of fieldsOf(op)) {
      for (const variant of variantsOf(field)) {
        await probe(t, `${op.method} ${op.path}`, { method: op.method, key, ...request(op, field, valueOf(field, variant)) }, field, variant)
      }
    }
  }
  expect(t.failures).toEqual([])
  expect(t.sent).toBeGreaterThan(200)
  expect(t.named).toBeGreaterThan(100)
}, 240_000)

// The ticket webhook's body is each source's own shape (no schema in the document): every string in a sample of each.
const TICKETS: Record<string, Record<string, unknown>> = {
  generic: { event: 'ticket.updated', ticket: { id: 'P-1', subject: 's', status: 'open', requester: { email: 'p@example.com', name: 'P' } }, comment: { id: 'c1', body: 'hi' } },
  zendesk: { id: 'evt-1', type: 'zen:event-type:ticket.comment_added', detail: { id: 'Z-1', status: 'OPEN', requester_id: '7' }, event: { comment: { id: '9', body: 'hi', author: { is_staff: false } } } },
  freshdesk: { freshdesk_webhook: { ticket_id: 'F-1', ticket_subject: 's', ticket_requester_email: 'f@example.com', ticket_latest_public_comment: 'hi', ticket_updated_at: '2026-01-01T00:00:00Z' } },
}

function stringLeaves(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [at]
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...at, k]))
  return []
}

test('no string of any ticket payload answers a 5xx or stores anything when it refuses', async () => {
  const t: Tally = { failures: [], sent: 0, named: 0 }
  for (const [source, payload] of Object.entries(TICKETS)) {
    for (const at of stringLeaves(payload)) {
      const field: Field = { in: 'body', name: `/${at.join('/')}`, at, kind: 'string' }
      for (const variant of STRING_VARIANTS) {
        const body = structuredClone(payload)
        setAt(body, at, variant.value)
        await probe(t, `POST /v1/tickets/${source}`, { method: 'POST', path: `/v1/tickets/${source}`, key: h.a.key, body }, field, variant)
      }
    }
  }
  expect(t.failures).toEqual([])
  expect(t.named).toBeGreaterThan(20)
}, 120_000)
