// Builds the console's page in memory with Bun's bundler: one script and one stylesheet from console/ui, and the
// HTML that loads them. The API serves the result at /console; the build runs once per process, on first use.

/** A built file of the page. */
export interface BuiltFile {
  body: string
  contentType: string
}

const ENTRY = `${import.meta.dir}/ui/main.tsx`

const page = (script: string, stylesheet: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchboard console</title>
<link rel="stylesheet" href="/console/assets/${stylesheet}">
</head>
<body>
<div id="app"></div>
<script type="module" src="/console/assets/${script}"></script>
</body>
</html>
`

/** Bundles and minifies the page; throws with the bundler's messages when the source does not build. */
export async function buildConsole(): Promise<ReadonlyMap<string, BuiltFile>> {
  const result = await Bun.build({ entrypoints: [ENTRY], target: 'browser', minify: true, naming: '[name]-[hash].[ext]' })
  if (!result.success) throw new AggregateError(result.logs, 'the console page does not build')
  const files = new Map<string, BuiltFile>()
  for (const output of result.outputs) {
    const name = output.path.replace(/^.*\//, '')
    files.set(name, { body: await output.text(), contentType: output.type })
  }
  const named = (ext: string) => [...files.keys()].find((n) => n.endsWith(ext))
  const script = named('.js')
  const stylesheet = named('.css')
  if (!script || !stylesheet) throw new Error('the console build gave no script or no stylesheet')
  files.set('index.html', { body: page(script, stylesheet), contentType: 'text/html; charset=utf-8' })
  return files
}

let built: Promise<ReadonlyMap<string, BuiltFile>> | undefined

/**
 * The page, built on first call and kept for the life of the process (a failed build is retried on the next call).
 * @example const files = await loadConsole(); files.get('index.html')
 */
export function loadConsole(): Promise<ReadonlyMap<string, BuiltFile>> {
  built ??= buildConsole().catch((e: unknown) => {
    built = undefined
    throw e
  })
  return built
}
