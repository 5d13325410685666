// Personal data kept from vendor models: when a request carries a privacy filter, every text a vendor adapter
// sends is sealed (emails, phones, cards, addresses become placeholders) and everything it answers is opened
// again (replies, tool-call arguments, stream deltas), so tools and customers get the real values. The
// in-process models (local, echo) never see the filter: nothing leaves the process for them.
import type { ProviderMessage, ProviderRequest, ProviderResponse, StreamEvent, ToolCall } from './provider.ts'

export interface PrivacyFilter {
  /** The text as a vendor may see it. */
  seal(text: string): string
  /** The text with every placeholder the filter issued turned back into its value. */
  open(text: string): string
}

function sealMessage(m: ProviderMessage, p: PrivacyFilter): ProviderMessage {
  if (m.role !== 'assistant') return { ...m, content: p.seal(m.content) }
  return { ...m, content: p.seal(m.content), ...(m.toolCalls ? { toolCalls: m.toolCalls.map((c) => ({ ...c, arguments: deep(c.arguments, p.seal) })) } : {}) }
}

function deep<T>(value: T, map: (s: string) => string): T {
  if (typeof value === 'string') return map(value) as T
  if (Array.isArray(value)) return value.map((v) => deep(v, map)) as T
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deep(v, map)])) as T
  return value
}

export function sealRequest(req: ProviderRequest): ProviderRequest {
  const p = req.privacy
  if (!p) return req
  return { ...req, ...(req.system ? { system: p.seal(req.system) } : {}), messages: req.messages.map((m) => sealMessage(m, p)) }
}

const openCall = (c: ToolCall, p: PrivacyFilter): ToolCall => ({ ...c, arguments: deep(c.arguments, p.open) })

export function openResponse(res: ProviderResponse, p: PrivacyFilter | undefined): ProviderResponse {
  return p ? { ...res, text: p.open(res.text), toolCalls: res.toolCalls.map((c) => openCall(c, p)) } : res
}

/**
 * Opens stream events; a delta that ends inside a placeholder (`… [email_`) is held back until the placeholder
 * is complete, so the customer never sees half of one.
 */
export function openingStream(p: PrivacyFilter | undefined): (event: StreamEvent) => StreamEvent[] {
  if (!p) return (event) => [event]
  let held = ''
  return (event) => {
    if (event.type === 'text') {
      const text = held + event.delta
      const open = text.lastIndexOf('[')
      const partial = open >= 0 && !text.includes(']', open) && text.length - open <= 24
      held = partial ? text.slice(open) : ''
      const ready = partial ? text.slice(0, open) : text
      return ready ? [{ type: 'text', delta: p.open(ready) }] : []
    }
    const flushed: StreamEvent[] = held ? [{ type: 'text', delta: p.open(held) }] : []
    held = ''
    if (event.type === 'tool_call') return [...flushed, { type: 'tool_call', call: openCall(event.call, p) }]
    return [...flushed, { type: 'done', response: openResponse(event.response, p) }]
  }
}
