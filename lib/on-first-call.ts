// Loading a module when its function is first called, not when the process starts: a vendor's SDK is hundreds of
// modules that stay in the heap for good, and a process needs only those of the vendors and stores it is set up for.

/** `load` runs once, on the first call, and must return the function (from a synchronous `require`). */
export function onFirstCall<F extends (...args: never[]) => unknown>(load: () => F): F {
  let fn: F | undefined
  return ((...args: Parameters<F>) => (fn ??= load())(...args)) as F
}
