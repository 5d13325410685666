// Debian's Chromium driven by playwright-core, for the console's browser tests and benchmark: headless, no sandbox,
// no network of its own, a fresh profile each time. Without Chromium this fails with what to install, never skips.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
]

export interface Browser {
  context: BrowserContext
  close(): Promise<void>
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the console's browser test needs Debian's chromium at ${CHROMIUM}: run "bash scripts/setup.sh --test" as root, or "apt-get install chromium"`)
  }
  const profile = mkdtempSync(join(tmpdir(), 'switchboard-chromium-'))
  // A persistent context is how playwright takes a profile directory of our choosing (--user-data-dir).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: FLAGS, bypassCSP: true, viewport: { width: 1400, height: 900 },
  })
  return {
    context,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
