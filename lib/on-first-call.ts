// Loading a module when its function is first called, not when the process starts: a vendor's SDK is hundreds of
// modules that stay in the heap for good, and a process needs only those of the vendors and stores it is set up for.
// A `require` may load a package's CommonJS build where an `import` elsewhere loaded its ES module build: two copies,
// whose classes fail each other's `instanceof`. Require a package only where every use of its classes goes through
// the same require (Anthropic's Bedrock and Vertex clients are checked against the first-party SDK's error classes,
// which the adapter imports: they load with a dynamic `import`, on a client's first call, providers/anthropic).

/** `load` runs once, on the first call, and must return the function (from a synchronous `require`). */
export function onFirstCall<F extends (...args: never[]) => unknown>(load: () => F): F {
  let fn: F | undefined
  return ((...args: Parameters<F>) => (fn ??= load())(...args)) as F
}
