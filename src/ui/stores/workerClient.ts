/** The main thread's handle on the simulation worker (comlink proxy), and word of its failures. */
import * as Comlink from 'comlink';
import type { WorkbenchApi } from '../../worker/protocol.ts';
import { watchWorker } from './watchdog.ts';

const failureListeners = new Set<(message: string) => void>();

/**
 * Calls `fn` when the worker fails outside a call (its script did not load, or an error escaped it): comlink
 * rejects a call that throws, but such a failure answers no call, and the user must still hear of it.
 */
export function onWorkerFailure(fn: (message: string) => void): () => void {
  failureListeners.add(fn);
  return () => failureListeners.delete(fn);
}

/** Starts the worker and wraps it. */
export function startWorker(): Comlink.Remote<WorkbenchApi> {
  const worker = new Worker(new URL('../../worker/simWorker.ts', import.meta.url), { type: 'module', name: 'slicebench-sim' });
  worker.addEventListener('error', (e) => {
    const message = e.message || 'the simulation worker could not be started or stopped with an error';
    for (const fn of [...failureListeners]) fn(message);
  });
  const remote = Comlink.wrap<WorkbenchApi>(worker);
  // A worker that hangs without an error is reported the same way (watchdog.ts); the probe is not itself watched.
  return watchWorker(remote, { probe: () => remote.profiles(), onHang: (message) => failureListeners.forEach((fn) => fn(message)) });
}
