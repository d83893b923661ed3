/**
 * Runs async calls one at a time, in the order they were made, whether earlier ones resolved or
 * failed: a transaction's statements are never interleaved with unrelated ones on one connection.
 */
export function createFifoLock(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const result = tail.then(fn, fn);
    tail = result.catch(() => undefined);
    return result;
  };
}
