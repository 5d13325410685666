// Runtime validation of everything that enters or leaves a queue, with compiled TypeBox checkers.
// Errors are reported against the schema of the message's own `kind`, so they name the bad field.
import type { TSchema } from '@sinclair/typebox'
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler'
import { Message, PoolRequest } from '../actors/protocol.ts'
import { TerminalError } from '../lib/errors.ts'

function compileByKind(union: { anyOf: TSchema[] }): Map<string, TypeCheck<TSchema>> {
  const byKind = new Map<string, TypeCheck<TSchema>>()
  for (const member of union.anyOf) {
    const kind = (member as unknown as { properties: { kind: { const: string } } }).properties.kind.const
    byKind.set(kind, TypeCompiler.Compile(member))
  }
  return byKind
}

const catalogs = { message: compileByKind(Message), pool: compileByKind(PoolRequest) }
export type Catalog = keyof typeof catalogs

/** `[]` when `data` is a valid message of the catalog, else one line per problem (at most 10). */
export function validationErrors(catalog: Catalog, data: unknown): string[] {
  const kind = (data as { kind?: unknown } | null)?.kind
  const checker = typeof kind === 'string' ? catalogs[catalog].get(kind) : undefined
  if (!checker) return [`/kind: unknown ${catalog} kind ${JSON.stringify(kind)}`]
  if (checker.Check(data)) return []
  const lines = new Set<string>()
  for (const e of checker.Errors(data)) {
    lines.add(`${e.path || '/'}: ${e.message}`)
    if (lines.size >= 10) break
  }
  return [...lines]
}

/** Throws `message.invalid` (terminal) listing the problems. */
export function assertValid(catalog: Catalog, data: unknown): void {
  const errors = validationErrors(catalog, data)
  if (errors.length > 0) throw new TerminalError('message.invalid', `invalid ${catalog}: ${errors.join('; ')}`)
}
