// tfjs-backend-wasm's Emscripten module adds process 'uncaughtException' and 'unhandledRejection'
// listeners that rethrow whatever they get. Node then treats any later uncaught error as thrown
// inside a handler: exit code 7, and the error printed with the line of minified wasm glue it was
// rethrown from (39 KB of source). A library must not change how its host process dies, so the
// listeners a backend adds while it initialises are taken off again.

const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;
type Listener = (...args: unknown[]) => void;
/** Typed once for both events (Node's overloads take one literal event name at a time). */
const listeners = (event: (typeof EVENTS)[number]) => process.listeners(event as 'uncaughtException') as unknown as Listener[];

/** Runs `fn`, then removes the process listeners of EVENTS that were added while it ran. */
export async function keepingProcessHandlers<T>(fn: () => Promise<T>): Promise<T> {
  const before = new Map(EVENTS.map((event) => [event, new Set(listeners(event))]));
  try {
    return await fn();
  } finally {
    for (const event of EVENTS) {
      for (const listener of listeners(event)) {
        if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
      }
    }
  }
}
