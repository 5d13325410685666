// Argument validation against a tool's JSON Schema, compiled once per tool, and the conversion of plain
// JSON Schema (what MCP servers declare) into TypeBox so that both kinds validate the same way.
import { Type, type TSchema } from '@sinclair/typebox'
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler'

export interface ArgsValidator {
  /** Undefined when `args` is valid, else a short human-readable reason (what a model needs to fix its call). */
  check(args: unknown): string | undefined
}

export function compileValidator(schema: TSchema): ArgsValidator {
  const compiled: TypeCheck<TSchema> = TypeCompiler.Compile(schema)
  return {
    check(args) {
      if (compiled.Check(args)) return undefined
      const problems: string[] = []
      for (const e of compiled.Errors(args)) {
        problems.push(`${e.path || '/'}: ${e.message}`)
        if (problems.length === 3) break
      }
      return problems.join('; ')
    },
  }
}

type JsonSchema = Record<string, unknown>

/** Converts the JSON Schema subset MCP tools use (objects, arrays, scalars, enums) into TypeBox; anything else is accepted as-is. */
export function fromJsonSchema(schema: JsonSchema): TSchema {
  const opts = schema.description ? { description: String(schema.description) } : {}
  if (Array.isArray(schema.enum)) return Type.Union(schema.enum.map((v) => Type.Literal(v as string | number | boolean)), opts)
  switch (schema.type) {
    case 'object':
      return objectSchema(schema, opts)
    case 'array':
      return Type.Array(schema.items ? fromJsonSchema(schema.items as JsonSchema) : Type.Unknown(), opts)
    case 'string':
      return Type.String(opts)
    case 'number':
      return Type.Number(opts)
    case 'integer':
      return Type.Integer(opts)
    case 'boolean':
      return Type.Boolean(opts)
    case 'null':
      return Type.Null(opts)
    default:
      return Type.Unknown(opts)
  }
}

function objectSchema(schema: JsonSchema, opts: { description?: string }): TSchema {
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : [])
  const props: Record<string, TSchema> = {}
  for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
    const converted = fromJsonSchema(sub)
    props[key] = required.has(key) ? converted : Type.Optional(converted)
  }
  return Type.Object(props, schema.additionalProperties === false ? { ...opts, additionalProperties: false } : opts)
}
