// The RetentionPolicy resource: how long one tenant's (or every tenant's) conversations of one agent (or every
// agent) stay hot, warm and cold. `tenant` and `agent` select the conversations; the most specific policy wins
// (storage/retention resolves it). Pure.
import { Type, type Static } from '@sinclair/typebox'
import { closed, Tenant } from './fields.ts'

const Days = Type.Number({ minimum: 0, description: 'days' })

export const RetentionPolicySpec = Type.Object({
  /** Bumped on every change; recorded with each retention decision (`name@version`). */
  version: Type.Integer({ minimum: 1 }),
  tenant: Tenant,
  /** An agent name, or '*' for every agent. @defaultValue '*' */
  agent: Type.String({ minLength: 1, maxLength: 64, default: '*' }),
  hot: Type.Object({ ttlSeconds: Type.Integer({ minimum: 1 }) }, closed),
  /** Days after the last activity before a conversation leaves warm; absent keeps it warm. */
  warm: Type.Object({ days: Type.Optional(Days) }, closed),
  /** Days an archive is kept before it is purged; 0 purges at the end of warm without archiving; absent keeps it. */
  cold: Type.Object({ days: Type.Optional(Days) }, closed),
}, closed)
export type RetentionPolicySpec = Static<typeof RetentionPolicySpec>
