// The labelled utterances the intent model learns from, and the deterministic held-out split used to
// report its accuracy. Reads the CSV once; no randomness (the split is a hash of the text).
import { readFileSync } from 'node:fs'
import { parseCsvRecords } from './csv.ts'

export interface LabelledUtterance {
  text: string
  intent: string
}

export interface DatasetSplit {
  train: LabelledUtterance[]
  heldOut: LabelledUtterance[]
}

/** The shipped Bitext training file, resolved from this module so cwd does not matter. */
export const defaultTrainingCsv = new URL('../../data/intents/bitext-train.csv', import.meta.url).pathname

/** Loads `instruction`/`intent` pairs, dropping exact duplicate texts so none straddles the split. */
export function loadUtterances(csvPath: string = defaultTrainingCsv): LabelledUtterance[] {
  const seen = new Set<string>()
  const out: LabelledUtterance[] = []
  for (const record of parseCsvRecords(readFileSync(csvPath, 'utf8'))) {
    const text = (record.instruction ?? '').trim()
    const intent = (record.intent ?? '').trim()
    if (!text || !intent || seen.has(text.toLowerCase())) continue
    seen.add(text.toLowerCase())
    out.push({ text, intent })
  }
  return out
}

/** 32-bit FNV-1a: a stable, dependency-free hash for splits and tool call ids. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

/**
 * Holds out one in `every` utterances of each intent (stratified), choosing by hash order so the split
 * is the same on every machine and does not depend on file order.
 * @defaultValue every = 5 (a 20% held-out split)
 */
export function splitHeldOut(data: LabelledUtterance[], every = 5): DatasetSplit {
  const byIntent = new Map<string, LabelledUtterance[]>()
  for (const u of data) byIntent.set(u.intent, [...(byIntent.get(u.intent) ?? []), u])
  const train: LabelledUtterance[] = []
  const heldOut: LabelledUtterance[] = []
  for (const intent of [...byIntent.keys()].sort()) {
    const ranked = [...(byIntent.get(intent) ?? [])]
      .map((u) => ({ u, h: fnv1a(u.text) }))
      .sort((a, b) => a.h - b.h || (a.u.text < b.u.text ? -1 : 1))
    ranked.forEach(({ u }, i) => (i % every === 0 ? heldOut : train).push(u))
  }
  return { train, heldOut }
}
