// The tool registry: declared tools by name, each with its compiled argument validator, plus the
// connections (MCP servers) that must be closed with it. It runs nothing; the executor does.
import type { TSchema } from '@sinclair/typebox'
import { TerminalError } from '../lib/errors.ts'
import type { ToolDefinition, ToolSpec } from './types.ts'
import { compileValidator, type ArgsValidator } from './validate.ts'

export interface RegisteredTool {
  definition: ToolDefinition
  validator: ArgsValidator
}

/** Something that contributes tools and holds a resource (an MCP client connection). */
export interface ToolSource {
  tools: ToolDefinition[]
  close(): Promise<void>
}

export interface ToolRegistry {
  /** Adds tools; a duplicate name is a configuration error. */
  register(...tools: ToolDefinition<TSchema>[]): void
  /** Registers a source's tools and closes the source with the registry. */
  addSource(source: ToolSource): void
  get(name: string): RegisteredTool | undefined
  /** What models are offered: every non-internal tool, or only `names` when given. */
  specs(names?: readonly string[]): ToolSpec[]
  close(): Promise<void>
}

export function createToolRegistry(tools: ToolDefinition[] = []): ToolRegistry {
  const byName = new Map<string, RegisteredTool>()
  const sources: ToolSource[] = []
  const registry: ToolRegistry = {
    register(...defs) {
      for (const definition of defs) {
        if (byName.has(definition.name)) throw new TerminalError('config.invalid', `tool ${definition.name} is registered twice`)
        byName.set(definition.name, { definition, validator: compileValidator(definition.parameters) })
      }
    },
    addSource(source) {
      registry.register(...source.tools)
      sources.push(source)
    },
    get: (name) => byName.get(name),
    specs(names) {
      const picked = names ? names.flatMap((n) => byName.get(n) ?? []) : [...byName.values()].filter((t) => !t.definition.internal)
      return picked.map(({ definition: d }) => ({ name: d.name, description: d.description, type: d.type, parameters: d.parameters }))
    },
    async close() {
      // One failing server must not keep the others open.
      await Promise.allSettled(sources.splice(0).map((s) => s.close()))
    },
  }
  registry.register(...tools)
  return registry
}
