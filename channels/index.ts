// Channels: how customer messages get in (chat, tickets) and how events get out (outbound webhooks).
// Shared by the API and by services that import the ticket producer; never imports elysia or bullmq.
export { acceptMessage, assertPosted, closeConversation, contextChanged, enqueueTurn, type CustomerMessage, type Inbox } from './inbox.ts'
export { identifyCustomer, type CustomerIdentity } from './identity.ts'
export { TicketEvent, InvalidInput, parseTicketEvent } from './ticketing/ticket-event.ts'
export { normalizeTicket, TICKET_SOURCES, type TicketSource } from './ticketing/adapters.ts'
export { ingestTicket, ticketConversationId, type TicketIngested } from './ticketing/ingest.ts'
export { createTicketProducer, type TicketProducer, type TicketProducerOptions } from './ticketing/producer.ts'
export { createWebhookVerifier, signPayload, SIGNATURE_HEADER, type Verification, type VerifierOptions } from './webhooks/signature.ts'
export { createWebhookSender, type SenderDeps } from './webhooks/sender.ts'
export { createWebhookWatch, startWebhookRelay, type RelayDeps, type WebhookWatch } from './webhooks/relay.ts'
export { startChannels, type Channels, type ChannelsOptions } from './runtime.ts'
