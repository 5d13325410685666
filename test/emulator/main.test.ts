// The standalone emulator process: starts on a given port, answers without keys, stops on SIGTERM.

import { expect, test } from 'bun:test'

test('bun emulator/main.ts serves vendor APIs and prints where', async () => {
  const proc = Bun.spawn([process.execPath, 'emulator/main.ts', '--port', '0'], { stdout: 'pipe', stderr: 'pipe' })
  try {
    const reader = proc.stdout.getReader()
    const { value } = await reader.read()
    const url = new TextDecoder().decode(value).match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)?.[1]
    expect(url).toBeDefined()
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'any', messages: [{ role: 'user', content: 'ping' }] }),
    })
    expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toContain('ping')
  } finally {
    proc.kill('SIGTERM')
    expect(await proc.exited).toBe(0)
  }
})
