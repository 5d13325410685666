// Tenant secrets (tool credentials), sealed with AES-256-GCM under the deployment's SECRETS_KEY before they
// reach Postgres. Values leave this module only through `reveal`, for the worker that calls the tool.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { TerminalError } from '../../lib/errors.ts'
import type { Sql } from './client.ts'

export interface SecretInfo {
  name: string
  updatedBy: string
  updatedAt: Date
}

/** Parses SECRETS_KEY: 32 bytes as base64 (`openssl rand -base64 32`). */
function keyBytes(encoded: string): Buffer {
  const key = Buffer.from(encoded, 'base64')
  if (key.length !== 32) throw new TerminalError('config.invalid', 'SECRETS_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)')
  return key
}

export function createSecrets(sql: Sql, encodedKey?: string) {
  const key = encodedKey ? keyBytes(encodedKey) : undefined
  const keyId = key ? createHash('sha256').update(key).digest('hex').slice(0, 12) : ''
  const requireKey = (): Buffer => {
    if (!key) throw new TerminalError('secret.unavailable', 'secrets are disabled on this deployment: set SECRETS_KEY')
    return key
  }
  // The tenant and name are authenticated data: a sealed value copied to another row does not open.
  const aad = (tenantId: string, name: string) => Buffer.from(`${tenantId}\u0000${name}`)
  return {
    enabled: key !== undefined,
    async put(tenantId: string, name: string, value: string, by: string): Promise<void> {
      const nonce = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', requireKey(), nonce).setAAD(aad(tenantId, name))
      const sealed = Buffer.concat([cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()])
      await sql`insert into tenant_secrets (tenant_id, name, ciphertext, nonce, key_id, updated_by)
        values (${tenantId}, ${name}, ${sealed}, ${nonce}, ${keyId}, ${by})
        on conflict (tenant_id, name) do update set ciphertext = excluded.ciphertext, nonce = excluded.nonce,
          key_id = excluded.key_id, updated_by = excluded.updated_by, updated_at = now()`
    },
    async list(tenantId: string): Promise<SecretInfo[]> {
      return sql<SecretInfo[]>`select name, updated_by as "updatedBy", updated_at as "updatedAt" from tenant_secrets
        where tenant_id = ${tenantId} order by name`
    },
    async delete(tenantId: string, name: string): Promise<boolean> {
      return (await sql`delete from tenant_secrets where tenant_id = ${tenantId} and name = ${name} returning 1`).length > 0
    },
    /** The plain value, or undefined when the tenant has no such secret. */
    async reveal(tenantId: string, name: string): Promise<string | undefined> {
      const [row] = await sql<{ ciphertext: Buffer; nonce: Buffer; keyId: string }[]>`select ciphertext, nonce, key_id as "keyId"
        from tenant_secrets where tenant_id = ${tenantId} and name = ${name}`
      if (!row) return undefined
      if (row.keyId !== keyId) throw new TerminalError('secret.unavailable', `secret ${name} was sealed with another SECRETS_KEY`)
      const decipher = createDecipheriv('aes-256-gcm', requireKey(), row.nonce).setAAD(aad(tenantId, name))
      decipher.setAuthTag(row.ciphertext.subarray(row.ciphertext.length - 16))
      return Buffer.concat([decipher.update(row.ciphertext.subarray(0, row.ciphertext.length - 16)), decipher.final()]).toString('utf8')
    },
  }
}
export type Secrets = ReturnType<typeof createSecrets>
