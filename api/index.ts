// The HTTP API (Elysia). Sends through queues, reads from storage; never runs actors.
export { createApp, type App, type AppDeps } from './app.ts'
export { errorBody, type ErrorBody } from './errors.ts'
