// The agent console's web page (Preact, bundled by Bun at run time): the browser code in ui/, its build here.
// Served by the API at /console; imports nothing from the server but pure lib/ modules.
export { buildConsole, loadConsole, type BuiltFile } from './build.ts'
