// Typed constructors for tool declarations: the argument type of `run`/`request` follows from the schema.
import type { TSchema } from '@sinclair/typebox'
import type { FunctionTool, HttpTool } from './types.ts'

/** Declares an in-process tool. */
export function defineTool<P extends TSchema>(def: Omit<FunctionTool<P>, 'kind'>): FunctionTool {
  return { ...def, kind: 'function' } as FunctionTool
}

/** Declares an HTTP tool. */
export function defineHttpTool<P extends TSchema>(def: Omit<HttpTool<P>, 'kind'>): HttpTool {
  return { ...def, kind: 'http' } as HttpTool
}
