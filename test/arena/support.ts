// An Arena test bed: a run store on its own schema, the vendor emulator as the provider `emu`, and lanes on
// real platforms (their own schemas and prefixes) with the offline model as the default.
import { createVendorEmulator, type VendorEmulator } from '../../emulator/index.ts'
import { startArenaLane } from '../../platform-arena.ts'
import type { ArenaLane } from '../../arena/index.ts'
import { createArenaRuns, type ArenaRuns } from '../../storage/index.ts'
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts'

export interface ArenaBed {
  db: TestDatabase
  runs: ArenaRuns
  emu: VendorEmulator
  /** The lanes' environment (the emulator as provider `emu`). */
  env: Record<string, string>
  lane(index?: number): Promise<ArenaLane>
  close(): Promise<void>
}

export async function startArenaBed(): Promise<ArenaBed> {
  const db = await createTestDatabase()
  const emu = createVendorEmulator()
  const env = {
    REDIS_URL: process.env.REDIS_URL!, DATABASE_URL: db.url, AGENT_PROVIDER: 'local',
    ROUTING_PROVIDERS: JSON.stringify([{ vendor: 'openai-compatible', name: 'emu', baseUrl: `${emu.url}/v1`, apiKey: 'test' }]),
  }
  const lanes: ArenaLane[] = []
  return {
    db, emu, env, runs: createArenaRuns(db.sql),
    async lane(index = 0) {
      const lane = await startArenaLane({ name: `${db.schema.slice(-12)}_${index}`, env })
      lanes.push(lane)
      return lane
    },
    async close() {
      await Promise.all(lanes.map((l) => l.close()))
      await emu.close()
      await db.drop()
    },
  }
}

/** A pending order of the seeded retail data and its owner. */
export const PENDING_ORDER = { id: '#W5918442', user: 'sofia_rossi_8776' }
