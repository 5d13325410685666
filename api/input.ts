// The request's input as every route sees it. A JSON body is read once at the front door under the size cap, so
// a body without a declared length cannot grow past it, and malformed JSON is a 400 even where a route's body is
// optional (Elysia drops a body it cannot parse there, and the route would act). Every string of the body, query
// and path must be storable (lib/storable-text.ts), refused by field before any route or schema runs.
import { Elysia } from 'elysia'
import { AppError } from '../lib/errors.ts'
import { findUnstorableInput } from '../lib/storable-text.ts'

/** A refused field: the error handler answers it as a 400 with `details`. */
class InvalidField extends AppError {
  readonly details: { path: string; in: string; message: string }[]
  constructor(where: string, path: string, message: string) {
    super('request.invalid', `${where} field ${path} ${message}`)
    this.details = [{ path, in: where, message }]
  }
}

export const tooLarge = (maxBytes: number) => new AppError('request.too_large', `the body exceeds ${maxBytes} bytes`)

/** The body's bytes, refused once they pass `maxBytes`. */
async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return Buffer.concat(chunks)
    size += value.byteLength
    if (size > maxBytes) {
      // Not awaited: cancelling one branch of a tee settles only once the route's branch is cancelled too.
      void reader.cancel().catch(() => {})
      throw tooLarge(maxBytes)
    }
    chunks.push(value)
  }
}

/**
 * Reads a copy of the JSON body (the route's parser reads the original): too large is a 413, malformed a 400,
 * and an empty body passes as no body.
 */
export async function assertJsonBody(request: Request, maxBytes: number): Promise<void> {
  const copy = request.clone().body
  if (!copy) return
  const bytes = await readCapped(copy, maxBytes)
  if (bytes.byteLength === 0) return
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    throw new AppError('request.malformed_json', 'the request body is not valid JSON')
  }
}

function assertStorable(where: string, value: unknown): void {
  const problem = findUnstorableInput(value)
  if (problem) throw new InvalidField(where, problem.path, problem.message)
}

/** Installs the storable-text check on every route of the app (after parsing, before validation). */
export function storableInput() {
  return new Elysia({ name: 'storable-input' }).onTransform({ as: 'global' }, ({ body, query, params }) => {
    assertStorable('path', params)
    assertStorable('query', query)
    assertStorable('body', body)
  })
}
