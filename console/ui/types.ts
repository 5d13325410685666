// The shapes the console API answers with (the page's own copy: it imports nothing from the server).

export type Role = 'agent' | 'qa_reviewer' | 'supervisor' | 'admin'

export interface Person {
  id: string
  tenantId: string
  email: string
  name: string
  role: Role
  skills: string[]
  available: boolean
}

export interface QueueCount {
  id: string
  name: string
  priority: number
  open: number
  taken: number
  breached: number
}

export interface InboxItem {
  escalationId: string
  conversationId: string
  channel: string
  status: 'open' | 'taken'
  takenBy: string | null
  reason: string
  category: string | null
  queueId: string | null
  priority: number
  intent: string | null
  sentiment: string | null
  summary: string | null
  customerName: string | null
  createdAt: string
  firstResponseDueAt: string | null
  resolutionDueAt: string | null
  firstResponseAt: string | null
  breached: boolean
}

export interface Inbox {
  queues: QueueCount[]
  items: InboxItem[]
  total: number
  drafts: { conversationId: string; draftId: string; channel: string; agent: string; createdAt: string }[]
}

export interface HandoffPackage {
  reason: { code: string; detail: string | null; category: string; label: string }
  policyRule: { source: string; policyVersion: string | null; rule: string } | null
  summary: string
  intent: { name: string; confidence: number }
  sentiment: { score: number; label: string; trend: string }
  customer: {
    customerId: string | null; name: string | null; email: string | null; phone: string | null; externalId: string | null
    channel: string; conversations: number; customerSince: string | null
  }
  actions: { tool: string; arguments: Record<string, unknown>; ok: boolean | null; outcome: string | null; turnId: string }[]
  failures: { what: string; detail: string }[]
  ticket: { intent: string; priority: string; sentiment: string }
  completeness: { score: number; missing: string[] }
}

export interface Handoff {
  id: string
  status: 'open' | 'taken' | 'resolved'
  takenBy: string | null
  reason: string
  category: string | null
  queue: { id: string; name: string } | null
  package: HandoffPackage | null
  createdAt: string
  sla: { firstResponseDueAt: string | null; resolutionDueAt: string | null; firstResponseAt: string | null; firstResponseBreachedAt: string | null; resolutionBreachedAt: string | null }
  rating: { hadWhatNeeded: boolean; missing: string[]; comment: string | null } | null
}

export interface Message {
  id: string
  role: 'customer' | 'assistant' | 'human_agent' | 'system'
  text: string
  replyTo: string | null
  createdAt: string
}

export interface Draft {
  id: string
  turnId: string
  text: string
  status: 'pending' | 'sent' | 'discarded'
}

export interface ConversationDetail {
  conversation: { id: string; status: string; channel: string; agent: string; customerId: string | null; csat: { rating: number; comment: string | null } | null }
  messages: Message[]
  handoffs: Handoff[]
  drafts: Draft[]
  notes: { id: string; author: string; text: string; createdAt: string }[]
  reviews: { id: string; reviewer: string; score: number }[]
  suggestions: { id: string; title: string; passage: string }[]
}

export interface Approval {
  id: string
  conversationId: string
  summary: string
  policy: string
  tool: string
  args: Record<string, unknown>
  amountUsd: number | null
  rule: string
  policyVersion: string
  status: string
  createdAt: string
}
