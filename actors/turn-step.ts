// Turn checkpoints in one place: `step(name, fn)` runs fn once per turn, ever. Its result is recorded in turn_steps,
// and a resumed or redelivered turn gets the recorded result instead of doing the work again (calling the model,
// a tool, retrieval). The conversation actor and the provider actor both checkpoint through it.
import type { TurnSteps } from '../storage/index.ts'

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
}

/** `recorded`: the turn's steps as its first statement read them (turnSteps.begin), or an empty map. */
export function turnCheckpoints(store: Pick<TurnSteps, 'record'>, turnId: string, recorded: Map<string, unknown>): TurnCheckpoints {
  return {
    turnId,
    recorded: <R>(name: string) => recorded.get(name) as R | undefined,
    async step<T, R>(name: string, run: () => Promise<T>, save?: (value: T) => Promise<R>): Promise<R> {
      if (recorded.has(name)) return recorded.get(name) as R
      const value = await run()
      const kept = save ? await save(value) : ((await store.record(turnId, name, value)) as unknown as R)
      recorded.set(name, kept)
      return kept
    },
  }
}
