// The contract each vendor wire format implements: parse a request, render a reply as JSON or as stream
// frames, and render errors in the vendor's own error shape. Transport concerns live in respond.ts.

import type { PlannedReply } from '../reply-plan.ts'
import type { EmulatedRequest, Vendor } from '../types.ts'

/** One unit written to a stream; `tokens` drives the per-token latency before it is sent. */
export interface Frame {
  data: string | Uint8Array
  tokens: number
}

export type ParsedRequest = Omit<EmulatedRequest, 'vendor' | 'path' | 'headers' | 'body'>

export interface WireError {
  body: string
  headers: Record<string, string>
}

export interface VendorWire {
  vendor: Vendor
  /** Id prefix for generated tool call ids, in the vendor's style. */
  idPrefix: string
  streamContentType: string
  handles(url: URL): boolean
  parse(body: unknown, url: URL): ParsedRequest
  /** Why the vendor would reject this body with a 400, if it would; checked before any script is taken. */
  validate?(body: unknown, url: URL): string | undefined
  json(plan: PlannedReply, req: EmulatedRequest): unknown
  frames(plan: PlannedReply, req: EmulatedRequest): Frame[]
  error(status: number, message: string, retryAfterSeconds?: number): WireError
  /** A stream frame whose payload is not valid JSON. */
  malformedFrame(): string | Uint8Array
}

/** Loose JSON access: the emulator must accept whatever an SDK sends without crashing on shape. */
export type Json = Record<string, unknown>

export function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {}
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : []
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v)
}

export function sse(data: unknown, event?: string): string {
  const line = `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`
  return event ? `event: ${event}\n${line}` : line
}
