// OpenAI chat completions wire format (also Azure OpenAI deployments and OpenAI-compatible servers):
// JSON replies, SSE chunks with tool_calls deltas, a usage chunk when asked, and `data: [DONE]`.

import type { PlannedReply } from '../reply-plan.ts'
import { splitJson } from '../reply-plan.ts'
import type { EmulatedRequest } from '../types.ts'
import { arr, obj, sse, str, type Frame, type ParsedRequest, type VendorWire } from './wire.ts'

const FINISH = { end: 'stop', tool_use: 'tool_calls', max_tokens: 'length', content_filter: 'content_filter' } as const

function parse(body: unknown, url: URL): ParsedRequest {
  const b = obj(body)
  const msgs = arr(b.messages).map(obj)
  const messages = msgs.filter((m) => m.role !== 'system').map((m) => ({ role: str(m.role), text: str(m.content) }))
  const system = msgs.filter((m) => m.role === 'system').map((m) => str(m.content)).join('\n')
  const deployment = url.pathname.match(/\/deployments\/([^/]+)\//)?.[1]
  return {
    model: str(b.model) || deployment || 'unknown',
    stream: b.stream === true,
    ...(system ? { system } : {}),
    messages,
    toolNames: arr(b.tools).map((t) => str(obj(obj(t).function).name)),
    toolResults: msgs.filter((m) => m.role === 'tool').map((m) => ({ id: str(m.tool_call_id), content: str(m.content) })),
    lastText: messages.at(-1)?.text ?? '',
  }
}

function usage(plan: PlannedReply) {
  const { inputTokens, outputTokens, cachedTokens } = plan.usage
  return {
    prompt_tokens: inputTokens + cachedTokens,
    completion_tokens: outputTokens,
    total_tokens: inputTokens + cachedTokens + outputTokens,
    prompt_tokens_details: { cached_tokens: cachedTokens },
  }
}

function json(plan: PlannedReply, req: EmulatedRequest): unknown {
  const toolCalls = plan.toolCalls.map((c) => ({
    id: c.id,
    type: 'function',
    function: { name: c.name, arguments: JSON.stringify(c.arguments) },
  }))
  const message = { role: 'assistant', content: plan.text || null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) }
  return {
    ...envelope(req, 'chat.completion'),
    choices: [{ index: 0, message, finish_reason: FINISH[plan.stopReason], logprobs: null }],
    usage: usage(plan),
  }
}

function envelope(req: EmulatedRequest, object: string) {
  return { id: `chatcmpl-emu${req.messages.length}`, object, created: Math.floor(Date.now() / 1000), model: req.model }
}

function frames(plan: PlannedReply, req: EmulatedRequest): Frame[] {
  const chunk = (delta: unknown, finish: string | null = null) =>
    sse({ ...envelope(req, 'chat.completion.chunk'), choices: [{ index: 0, delta, finish_reason: finish }] })
  const out: Frame[] = [{ data: chunk({ role: 'assistant', content: '' }), tokens: 0 }]
  for (const t of plan.tokens) out.push({ data: chunk({ content: t }), tokens: 1 })
  plan.toolCalls.forEach((c, index) => {
    const head = { index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }
    out.push({ data: chunk({ tool_calls: [head] }), tokens: 1 })
    for (const piece of splitJson(JSON.stringify(c.arguments))) {
      out.push({ data: chunk({ tool_calls: [{ index, function: { arguments: piece } }] }), tokens: 1 })
    }
  })
  out.push({ data: chunk({}, FINISH[plan.stopReason]), tokens: 0 })
  const wantsUsage = obj(obj(req.body).stream_options).include_usage === true
  if (wantsUsage) out.push({ data: sse({ ...envelope(req, 'chat.completion.chunk'), choices: [], usage: usage(plan) }), tokens: 0 })
  out.push({ data: sse('[DONE]'), tokens: 0 })
  return out
}

function error(status: number, message: string) {
  const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error'
  const code = status === 429 ? 'rate_limit_exceeded' : null
  return { body: JSON.stringify({ error: { message, type, param: null, code } }), headers: {} }
}

export const openaiWire: VendorWire = {
  vendor: 'openai',
  idPrefix: 'call_',
  streamContentType: 'text/event-stream',
  handles: (url) => url.pathname.endsWith('/chat/completions'),
  parse,
  json,
  frames,
  error,
  malformedFrame: () => 'data: {"id":"chatcmpl-broken","choices":[{"delta":{"content":\n\n',
}
