// Gemini generateContent / streamGenerateContent (?alt=sse) wire format, including functionCall parts,
// usageMetadata, SAFETY finish reasons and google.rpc error bodies with RetryInfo; the Developer API
// (`/v1beta/models/…`) and Vertex AI (`/{v1,v1beta1}/projects/{p}/locations/{l}/publishers/google/models/…`).

import type { PlannedReply } from '../reply-plan.ts'
import type { EmulatedRequest } from '../types.ts'
import { arr, obj, sse, str, type Frame, type Json, type ParsedRequest, type VendorWire } from './wire.ts'

const FINISH = { end: 'STOP', tool_use: 'STOP', max_tokens: 'MAX_TOKENS', content_filter: 'SAFETY' } as const
const ROUTE = /models\/([^/:]+):(generateContent|streamGenerateContent)$/

function partsText(parts: unknown): string {
  return arr(parts)
    .map(obj)
    .map((p) => (p.text !== undefined ? str(p.text) : p.functionResponse ? str(obj(p.functionResponse).response) : ''))
    .join('')
}

function parse(body: unknown, url: URL): ParsedRequest {
  const b = obj(body)
  const [, model = 'unknown', method] = url.pathname.match(ROUTE) ?? []
  const contents = arr(b.contents).map(obj)
  const messages = contents.map((c) => ({ role: str(c.role), text: partsText(c.parts) }))
  const toolResults = contents
    .flatMap((c) => arr(c.parts).map(obj))
    .filter((p) => p.functionResponse !== undefined)
    .map((p) => obj(p.functionResponse))
    .map((r) => ({ id: str(r.id) || str(r.name), content: str(r.response) }))
  const system = partsText(obj(b.systemInstruction).parts)
  return {
    model,
    stream: method === 'streamGenerateContent',
    ...(system ? { system } : {}),
    messages,
    toolNames: arr(b.tools).flatMap((t) => arr(obj(t).functionDeclarations).map((f) => str(obj(f).name))),
    toolResults,
    lastText: messages.at(-1)?.text ?? '',
  }
}

function usageMetadata(plan: PlannedReply) {
  const { inputTokens, outputTokens, cachedTokens } = plan.usage
  const prompt = inputTokens + cachedTokens
  return { promptTokenCount: prompt, candidatesTokenCount: outputTokens, totalTokenCount: prompt + outputTokens, cachedContentTokenCount: cachedTokens }
}

function response(req: EmulatedRequest, parts: Json[], finish?: string, usage?: unknown): Json {
  const candidate: Json = { content: { role: 'model', parts }, index: 0 }
  if (finish) candidate.finishReason = finish
  if (finish === 'SAFETY') candidate.safetyRatings = [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'HIGH', blocked: true }]
  return { candidates: [candidate], ...(usage ? { usageMetadata: usage } : {}), modelVersion: req.model, responseId: 'emu' }
}

// Real Gemini omits functionCall.id on the Developer API; a scripted id is sent so both paths get tested.
function callPart(c: PlannedReply['toolCalls'][number], scriptedId: boolean): Json {
  return { functionCall: { ...(scriptedId ? { id: c.id } : {}), name: c.name, args: c.arguments } }
}

function scriptedIds(plan: PlannedReply): boolean {
  return plan.toolCalls.some((c) => !c.id.startsWith(geminiWire.idPrefix))
}

function json(plan: PlannedReply, req: EmulatedRequest): unknown {
  const parts: Json[] = plan.text ? [{ text: plan.text }] : []
  for (const c of plan.toolCalls) parts.push(callPart(c, scriptedIds(plan)))
  return response(req, parts, FINISH[plan.stopReason], usageMetadata(plan))
}

function frames(plan: PlannedReply, req: EmulatedRequest): Frame[] {
  const out: Frame[] = plan.tokens.map((t) => ({ data: sse(response(req, [{ text: t }])), tokens: 1 }))
  const last: Json[] = plan.toolCalls.map((c) => callPart(c, scriptedIds(plan)))
  const data = sse(response(req, last, FINISH[plan.stopReason], usageMetadata(plan)))
  out.push({ data, tokens: plan.toolCalls.length })
  return out
}

const STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED' }

function error(status: number, message: string, retryAfterSeconds?: number) {
  const details = retryAfterSeconds === undefined ? [] : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSeconds}s` }]
  const body = { error: { code: status, message, status: STATUS[status] ?? 'UNKNOWN', details } }
  return { body: JSON.stringify(body), headers: {} }
}

const VERTEX_ROUTE = /\/projects\/[^/]+\/locations\/[^/]+\/publishers\/google\/models\/[^/:]+:(generateContent|streamGenerateContent)$/

export const geminiWire: VendorWire = {
  vendor: 'gemini',
  idPrefix: 'gem_',
  streamContentType: 'text/event-stream',
  handles: (url) => ROUTE.test(url.pathname),
  parse,
  json,
  frames,
  error,
  malformedFrame: () => 'data: {"candidates":[{"content":{"parts":[{"text":\n\n',
}

/** Gemini on Vertex AI: the same bodies under a project/location/publisher path (listed before geminiWire). */
export const geminiVertexWire: VendorWire = {
  ...geminiWire,
  vendor: 'gemini-vertex',
  handles: (url) => VERTEX_ROUTE.test(url.pathname),
}
