/** The main thread's handle on the simulation worker (comlink proxy). */
import * as Comlink from 'comlink';
import type { WorkbenchApi } from '../../worker/protocol.ts';

/** Starts the worker and wraps it. */
export function startWorker(): Comlink.Remote<WorkbenchApi> {
  const worker = new Worker(new URL('../../worker/simWorker.ts', import.meta.url), { type: 'module', name: 'slicebench-sim' });
  return Comlink.wrap<WorkbenchApi>(worker);
}
