// One model call, streamed when the gateway can: text deltas go to the conversation's reply stream as they
// arrive (chat widgets render them); a reply that arrives in one piece is not streamed, since the
// completed reply follows at once. Deltas are best effort: the completed reply always carries the full text.
import type { ModelGateway, ProviderRequest, RouteContext, RoutedCompletion } from '../../providers/index.ts'
import { RetryableError } from '../../lib/errors.ts'

export type PublishDelta = (delta: string, index: number) => void

/** Without `publish` (nobody may watch the reply form) the call is not streamed. */
export async function callModel(
  gateway: ModelGateway,
  req: Omit<ProviderRequest, 'model'>,
  ctx: RouteContext,
  publish?: PublishDelta,
): Promise<RoutedCompletion> {
  if (!gateway.stream || !publish) return gateway.complete(req, ctx)
  let held: string | undefined
  let sent = 0
  let routed: RoutedCompletion | undefined
  for await (const event of gateway.stream(req, ctx)) {
    if (event.type === 'text' && event.delta) {
      // Each delta waits for the next one, so a single-piece reply is never sent as a delta.
      if (held !== undefined) publish(held, sent++)
      held = event.delta
    } else if (event.type === 'done') {
      routed = event.routed
    }
  }
  if (held !== undefined && sent > 0) publish(held, sent)
  if (!routed) throw new RetryableError('provider.malformed', 'the model stream ended without its final response')
  return routed
}
