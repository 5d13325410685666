// Checkpoints of turns: one row per completed step, so a resumed turn never repeats a recorded step
// (in particular, never calls the model again).
import type postgres from 'postgres'
import type { Sql } from './client.ts'

type Tx = Sql | postgres.TransactionSql

export function createTurnSteps(sql: Sql) {
  return {
    async forTurn(turnId: string): Promise<Map<string, unknown>> {
      const rows = await sql<{ step: string; result: unknown }[]>`select step, result from turn_steps where turn_id = ${turnId}`
      return new Map(rows.map((r) => [r.step, r.result]))
    },
    async get<T>(turnId: string, step: string): Promise<T | undefined> {
      const [row] = await sql<{ result: T }[]>`select result from turn_steps where turn_id = ${turnId} and step = ${step}`
      return row?.result
    },
    /** Records the step once; returns the result that is recorded (the first one wins). */
    async record<T>(turnId: string, step: string, result: T, tx: Tx = sql): Promise<T> {
      const [row] = await (tx as Sql)<{ result: T }[]>`insert into turn_steps (turn_id, step, result)
        values (${turnId}, ${step}, ${sql.json(result as never)}) on conflict (turn_id, step) do nothing returning result`
      return row ? row.result : ((await this.get<T>(turnId, step)) as T)
    },
    /** Stores the assistant message and the step that produced it in one transaction; the first write wins. */
    async recordReply<T extends { id: string; text: string }>(conversationId: string, turnId: string, step: string, reply: T): Promise<T> {
      return sql.begin(async (tx) => {
        await tx`insert into messages (id, conversation_id, role, text, turn_id)
          values (${reply.id}, ${conversationId}, 'assistant', ${reply.text}, ${turnId}) on conflict (id) do nothing`
        return this.record(turnId, step, reply, tx)
      }) as Promise<T>
    },
  }
}
export type TurnSteps = ReturnType<typeof createTurnSteps>
