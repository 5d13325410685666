// Trained models kept on disk: training the intent and topic models costs seconds of CPU in every process that
// starts, while the result depends only on the training data and this folder's code. A model is stored under
// a hash of both, so changed data or code trains a fresh one; a missing or unreadable file just trains again.
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { IntentModel } from './classifier.ts'

const CACHE_DIR = join(import.meta.dir, '..', '..', '.data', 'model-cache')
// The code a model's numbers come from: changing any of it invalidates every stored model.
const CODE = readdirSync(import.meta.dir).filter((f) => f.endsWith('.ts')).sort().map((f) => readFileSync(join(import.meta.dir, f), 'utf8')).join('\n')

interface Stored {
  labels: string[]
  vocabulary: Array<[string, number]>
  idf: string
  weights: string
  bias: string
}

const pack = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')
const unpack = (s: string) => {
  const b = Buffer.from(s, 'base64')
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))
}

function read(file: string): IntentModel | undefined {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Stored
    return { labels: s.labels, vectorizer: { vocabulary: new Map(s.vocabulary), idf: unpack(s.idf) }, weights: unpack(s.weights), bias: unpack(s.bias) }
  } catch {
    return undefined
  }
}

function write(file: string, m: IntentModel): void {
  const stored: Stored = {
    labels: m.labels, vocabulary: [...m.vectorizer.vocabulary], idf: pack(m.vectorizer.idf), weights: pack(m.weights), bias: pack(m.bias),
  }
  try {
    mkdirSync(CACHE_DIR, { recursive: true })
    // Written aside and renamed: a process reading at the same moment never sees half a file.
    const partial = `${file}.${process.pid}.tmp`
    writeFileSync(partial, JSON.stringify(stored))
    renameSync(partial, file)
  } catch {
    // A read-only filesystem costs the next process its training time, nothing else.
  }
}

/** The model trained from `data` by `train`, from the disk cache when the same data and code trained it before. */
export function cachedModel(name: string, data: unknown, train: () => IntentModel): IntentModel {
  const key = createHash('sha256').update(CODE).update(JSON.stringify(data)).digest('hex').slice(0, 24)
  const file = join(CACHE_DIR, `${name}-${key}.json`)
  const stored = read(file)
  if (stored) return stored
  const model = train()
  write(file, model)
  return model
}
