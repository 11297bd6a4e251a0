/**
 * A watchdog over the worker's calls (issue 18): a worker that hangs without an error (a loop that never yields,
 * a call it never answers) sends no error event, so the page would wait forever. While calls are outstanding and
 * nothing has answered for a quiet spell, a cheap probe call is sent; a worker that is merely busy with a sliced
 * long run answers it between slices, a hung one does not, and after the deadline the hang is reported once (the
 * workbench then stops the runs where they were, as for a worker error). Calls answering resets the watch.
 */

/** How long outstanding calls may go without any answer before the worker is probed. */
export const WORKER_QUIET_MS = 15_000;
/** How long the probe may go unanswered before the worker is reported as hung. */
export const WORKER_PROBE_DEADLINE_MS = 15_000;

export interface WatchdogOptions {
  /** A cheap call on the unwatched worker that any live worker answers at once. */
  probe: () => unknown;
  /** Told once per hang, in words for the user. */
  onHang: (message: string) => void;
  quietMs?: number;
  deadlineMs?: number;
}

/**
 * Wraps a worker proxy (a comlink Remote): every method call is tracked until it settles, and a worker that stops
 * answering is reported through `onHang`. The calls themselves pass through unchanged.
 */
export function watchWorker<T extends object>(remote: T, options: WatchdogOptions): T {
  const quietMs = options.quietMs ?? WORKER_QUIET_MS;
  const deadlineMs = options.deadlineMs ?? WORKER_PROBE_DEADLINE_MS;
  const pending = new Map<number, string>();
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const arm = (): void => {
    clearTimeout(timer);
    timer = pending.size ? setTimeout(probe, quietMs) : undefined;
  };
  const probe = (): void => {
    if (!pending.size) return;
    let answered = false;
    const settle = (): void => {
      answered = true;
      arm();
    };
    // A probe that throws or is rejected still proves the worker answers.
    Promise.resolve()
      .then(options.probe)
      .then(settle, settle);
    timer = setTimeout(() => {
      if (answered || !pending.size) return;
      const oldest = pending.values().next().value as string;
      // The calls in flight are given up: the next call starts a new watch (and is reported again if it hangs).
      pending.clear();
      timer = undefined;
      options.onHang(`the simulation worker stopped answering (no answer to ${oldest}() for ${Math.round((quietMs + deadlineMs) / 1000)} s)`);
    }, deadlineMs);
  };
  const track = (name: string, result: unknown): unknown => {
    const id = ++seq;
    pending.set(id, name);
    if (timer === undefined) arm();
    const done = (): void => {
      if (pending.delete(id)) arm();
    };
    Promise.resolve(result).then(done, done);
    return result;
  };

  return new Proxy(remote, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      // Symbols (comlink's release/proxy markers) and `then` are no calls to watch.
      if (typeof prop !== 'string' || prop === 'then' || typeof value !== 'function') return value;
      // Reflect.apply, not value.apply: on a comlink proxy `.apply` would be one more remote property.
      return (...args: unknown[]) => track(prop, Reflect.apply(value as (...a: unknown[]) => unknown, target, args));
    },
  });
}
