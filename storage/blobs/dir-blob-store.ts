// A BlobStore over a local directory, for the quick start and single-node installs.
// Writes go to a temporary file renamed into place, so a crash never leaves half an object under its key.
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import { assertBlobKey, type BlobStore } from './blob-store.ts'

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT'

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((e) => (isMissing(e) ? [] : Promise.reject(e)))
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)])))
  return nested.flat()
}

export function createDirBlobStore(root: string): BlobStore {
  const pathOf = (key: string) => (assertBlobKey(key), join(root, ...key.split('/')))
  return {
    async put(key, body) {
      const path = pathOf(key)
      await mkdir(dirname(path), { recursive: true })
      const tmp = `${path}.${crypto.randomUUID()}.tmp`
      await writeFile(tmp, body)
      await rename(tmp, path)
    },
    async get(key) {
      return readFile(pathOf(key)).then((b) => new Uint8Array(b), (e) => (isMissing(e) ? undefined : Promise.reject(e)))
    },
    async delete(key) {
      await rm(pathOf(key), { force: true })
    },
    async list(prefix) {
      const keys = (await walk(root)).filter((p) => !p.endsWith('.tmp')).map((p) => relative(root, p).split(sep).join('/'))
      return keys.filter((k) => k.startsWith(prefix))
    },
    close: async () => {},
  }
}
