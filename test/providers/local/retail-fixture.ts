// Test fixture: the retail tools from data/retail/tools.json as ToolSpecs, and a minimal in-memory
// executor over a copy of db.json for the tools the local provider calls (the real tools live elsewhere).
import { readFileSync } from 'node:fs'
import type { ProviderMessage, ToolCall, ToolSpec } from '../../../providers/provider.ts'

const dataDir = new URL('../../../data/retail/', import.meta.url).pathname

interface ToolDef { name: string; description: string; params: { name: string; type: string; required: boolean }[] }

/** The 16 retail tools as the provider sees them in a request. */
export function retailToolSpecs(): ToolSpec[] {
  const defs = JSON.parse(readFileSync(`${dataDir}tools.json`, 'utf8')) as ToolDef[]
  return defs.map((d) => ({
    name: d.name,
    description: d.description,
    parameters: {
      type: 'object',
      properties: Object.fromEntries(d.params.map((p) => [p.name, { type: p.type.startsWith('List') ? 'array' : 'string' }])),
      required: d.params.filter((p) => p.required).map((p) => p.name),
    },
  }))
}

type Db = {
  users: Record<string, { user_id: string; email: string; name: { first_name: string; last_name: string }; address: { zip: string } }>
  orders: Record<string, { status: string; user_id: string; items: { item_id: string; price: number }[] }>
}

/** A fresh copy of the retail database, so write tools in one test never leak into another. */
export function loadRetailDb(): Db {
  return JSON.parse(readFileSync(`${dataDir}db.json`, 'utf8')) as Db
}

/** Runs one tool call against the copy and returns the tool message the runtime would append. */
export function runRetailTool(db: Db, call: ToolCall): ProviderMessage {
  const a = call.arguments as Record<string, string>
  const result = ((): unknown => {
    switch (call.name) {
      case 'find_user_id_by_email': return Object.values(db.users).find((u) => u.email === a.email)?.user_id
      case 'find_user_id_by_name_zip': return Object.values(db.users).find((u) => u.name.first_name === a.first_name && u.name.last_name === a.last_name && u.address.zip === a.zip)?.user_id
      case 'get_user_details': return db.users[a.user_id ?? '']
      case 'get_order_details': return db.orders[a.order_id ?? '']
      case 'cancel_pending_order': {
        const o = db.orders[a.order_id ?? '']
        if (!o || o.status !== 'pending') return undefined
        o.status = 'cancelled'
        return { ...o, cancel_reason: a.reason }
      }
      case 'return_delivered_order_items': {
        const o = db.orders[a.order_id ?? '']
        if (!o || o.status !== 'delivered') return undefined
        o.status = 'return requested'
        return { ...o, return_items: call.arguments.item_ids, return_payment_method_id: a.payment_method_id }
      }
      default: return undefined
    }
  })()
  if (result === undefined) return { role: 'tool', toolCallId: call.id, name: call.name, content: `Error: ${call.name} failed`, isError: true }
  return { role: 'tool', toolCallId: call.id, name: call.name, content: typeof result === 'string' ? result : JSON.stringify(result) }
}
