// Turn checkpoints in one place: `step(name, fn)` runs fn once per turn, ever. Its result is recorded in turn_steps,
// and a resumed or redelivered turn gets the recorded result instead of doing the work again (calling the model,
// a tool, retrieval). The conversation actor and the provider actor both checkpoint through it.
import type { ModelCallStep, TurnSteps } from '../storage/index.ts'

export interface TurnCheckpoints {
  readonly turnId: string
  /** What the step recorded, if it ran already. */
  recorded<R>(name: string): R | undefined
  /** Records fn's result under `name` (the first write wins: a racing delivery gets the same result). */
  step<R>(name: string, run: () => Promise<R>): Promise<R>
  /**
   * `save` writes the result where it belongs, together with the step (a reply with its message, a model call with
   * its provider call), or returns it as already recorded by whoever ran it (the provider actor records model steps).
   */
  step<T, R>(name: string, run: () => Promise<T>, save: (value: T) => Promise<R>): Promise<R>
  /**
   * `step` for a result whose loss in a crash only costs running fn again (a verdict, a decision): its record does
   * not wait for its WAL flush. The turn's reply, written durably later, makes it durable too (see storage's async-commit.ts).
   */
  checkpoint<R>(name: string, run: () => Promise<R>): Promise<R>
  /** A model call (and its step, already `recorded` here) that the turn's reply is to record with it. */
  holdForReply(record: ModelCallStep): void
  /** The model calls held for the reply, handed over once: the list is empty afterwards. */
  heldForReply(): ModelCallStep[]
  /** Every step recorded so far, as of this call: a copy of its own. */
  steps(): Map<string, unknown>
}

/** `recorded`: the turn's steps as its first statement read them (turnSteps.begin), or an empty map. */
export function turnCheckpoints(store: Pick<TurnSteps, 'record' | 'checkpoint'>, turnId: string, recorded: Map<string, unknown>): TurnCheckpoints {
  const held: ModelCallStep[] = []
  async function step<T, R>(name: string, run: () => Promise<T>, save?: (value: T) => Promise<R>): Promise<R> {
    if (recorded.has(name)) return recorded.get(name) as R
    const value = await run()
    const kept = save ? await save(value) : ((await store.record(turnId, name, value)) as unknown as R)
    recorded.set(name, kept)
    return kept
  }
  return {
    turnId,
    recorded: <R>(name: string) => recorded.get(name) as R | undefined,
    step,
    checkpoint: <R>(name: string, run: () => Promise<R>) => step(name, run, (value: R) => store.checkpoint(turnId, name, value)),
    holdForReply: (record) => void held.push(record),
    heldForReply: () => held.splice(0),
    steps: () => new Map(recorded),
  }
}
