// Turns one scripted outcome into an HTTP response for one vendor wire: latency, faults, JSON or a
// paced stream. A stream "cut" resets the connection (no terminating chunk), as a dropped proxy would.

import { planReply } from './reply-plan.ts'
import type { EmulatedRequest, Fault, Script } from './types.ts'
import type { Frame, VendorWire } from './wire/wire.ts'

export interface RespondContext {
  wire: VendorWire
  req: EmulatedRequest
  script: Script
  latencyMs: number
  perTokenMs: number
  /** Resolves when the client went away or the emulator is closing; ends hangs. */
  released: Promise<unknown>
}

const encoder = new TextEncoder()
const CUT_GRACE_MS = 25

export async function respond(ctx: RespondContext): Promise<Response> {
  if (ctx.latencyMs > 0) await Promise.race([Bun.sleep(ctx.latencyMs), ctx.released])
  const fault = ctx.script.fault
  if (fault) return respondFault(ctx, fault)
  const plan = planReply(ctx.script.reply ?? {}, ctx.req, ctx.wire.idPrefix)
  if (ctx.req.stream) return streamed(ctx, ctx.wire.frames(plan, ctx.req))
  return Response.json(ctx.wire.json(plan, ctx.req))
}

async function respondFault(ctx: RespondContext, fault: Fault): Promise<Response> {
  switch (fault.kind) {
    case 'status':
      return statusResponse(ctx.wire, fault)
    case 'hang':
      await ctx.released
      return new Response(null, { status: 499 })
    case 'malformed':
      return malformed(ctx)
    case 'cut':
      return cut(ctx, fault.afterFrames, fault.clean)
  }
}

function statusResponse(wire: VendorWire, fault: Extract<Fault, { kind: 'status' }>): Response {
  const message = fault.message ?? `emulated ${wire.vendor} error ${fault.status}`
  const { body, headers } = wire.error(fault.status, message, fault.retryAfterSeconds)
  const all: Record<string, string> = { 'content-type': 'application/json', ...headers }
  if (fault.retryAfterSeconds !== undefined) all['retry-after'] = String(fault.retryAfterSeconds)
  return new Response(body, { status: fault.status, headers: all })
}

function malformed(ctx: RespondContext): Response {
  if (!ctx.req.stream) {
    return new Response('{"id":"broken","choices":[{"message":', { headers: { 'content-type': 'application/json' } })
  }
  const plan = planReply({ text: 'this stream breaks here' }, ctx.req, ctx.wire.idPrefix)
  const head = ctx.wire.frames(plan, ctx.req).slice(0, 2)
  return streamed(ctx, [...head, { data: ctx.wire.malformedFrame(), tokens: 0 }])
}

function cut(ctx: RespondContext, afterFrames?: number, clean = false): Response {
  const plan = planReply(ctx.script.reply ?? { text: 'a reply that will not arrive in full' }, ctx.req, ctx.wire.idPrefix)
  if (ctx.req.stream) {
    const frames = ctx.wire.frames(plan, ctx.req)
    const at = afterFrames ?? Math.max(1, Math.floor(frames.length / 2))
    return clean ? streamed(ctx, frames.slice(0, at)) : streamed(ctx, frames, at)
  }
  const body = JSON.stringify(ctx.wire.json(plan, ctx.req))
  const half = { data: body.slice(0, Math.floor(body.length / 2)), tokens: 0 }
  return clean ? streamed(ctx, [half], undefined, 'application/json') : streamed(ctx, [half], 1, 'application/json')
}

function streamed(ctx: RespondContext, frames: Frame[], cutAt?: number, contentType?: string): Response {
  let i = 0
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (i === cutAt) {
        // Let the frames already sent reach the client first, as with a proxy dropping a live stream;
        // error() with no reason makes Bun reset the socket silently instead of logging a server error.
        await Bun.sleep(CUT_GRACE_MS)
        return controller.error()
      }
      const frame = frames[i++]
      if (!frame) return controller.close()
      if (ctx.perTokenMs > 0 && frame.tokens > 0) await Bun.sleep(ctx.perTokenMs * frame.tokens)
      controller.enqueue(typeof frame.data === 'string' ? encoder.encode(frame.data) : frame.data)
    },
  })
  const headers = { 'content-type': contentType ?? ctx.wire.streamContentType, 'cache-control': 'no-cache' }
  return new Response(body, { headers })
}
