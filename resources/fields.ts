// Field schemas every resource kind shares: names, the tenant a document belongs to, secret references.
// Plain TypeBox, so the same objects validate files, API bodies and the custom resources' openAPIV3Schema.
import { Type } from '@sinclair/typebox'

/** A misspelt field must fail loudly (the CRD drops this; the API server prunes unknown fields instead). */
export const closed = { additionalProperties: false } as const

/** A resource's name: safe in URLs, file names and Kubernetes object names. */
export const RESOURCE_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'
export const ResourceName = Type.String({ pattern: RESOURCE_NAME_PATTERN, description: 'letters, digits, _ . -; at most 64' })

/** What every vendor accepts as a function name (OpenAI's rule is the strictest). */
export const TOOL_NAME_PATTERN = '^[A-Za-z0-9_-]{1,64}$'
export const ToolName = Type.String({ pattern: TOOL_NAME_PATTERN, description: 'letters, digits, _ and -; at most 64' })

/** The platform scope: a document without a tenant applies to every tenant that has no resource of that name. */
export const PLATFORM_TENANT = '*'

/** A tenant id, or '*' for the whole platform (operator-applied documents only). @defaultValue '*' */
export const Tenant = Type.String({ minLength: 1, maxLength: 64, default: PLATFORM_TENANT, description: "a tenant id, or '*' for every tenant" })

/**
 * Where a credential comes from: a tenant secret by name (PUT /v1/secrets/:name), or, in operator-applied
 * documents only, an environment variable of the worker process. Exactly one of the two.
 */
export const SecretRef = Type.Object({
  secret: Type.Optional(ResourceName),
  env: Type.Optional(Type.String({ pattern: '^[A-Z_][A-Z0-9_]*$', description: 'an environment variable name' })),
}, closed)

/** An HTTP credential header filled from a secret: `authorization: Bearer <secret>` by default. */
export const HeaderAuth = Type.Object({
  /** @defaultValue 'authorization' */
  header: Type.String({ default: 'authorization', pattern: '^[A-Za-z0-9-]{1,64}$' }),
  /** Put before the secret with a space (`Bearer`); absent sends the secret alone. */
  scheme: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' })),
  secretRef: SecretRef,
}, closed)

export const HttpUrl = Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2000, description: 'an http(s) URL' })
export const ToolType = Type.Union([Type.Literal('READ'), Type.Literal('WRITE'), Type.Literal('GENERIC')])
export const AgentMode = Type.Union([Type.Literal('assist'), Type.Literal('execute'), Type.Literal('operate')])
