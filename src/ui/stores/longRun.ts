/**
 * The main thread's side of long runs and seeks: asks the worker to run in slices (`runTo`), and shows a
 * progress indicator with Cancel only when the run takes longer than SHOW_AFTER_MS (short seeks stay silent).
 */
import { createSignal, type Accessor } from 'solid-js';
import * as Comlink from 'comlink';
import { formatSimTime } from '../lib/format.ts';
import type { Frame, WorkbenchApi } from '../../worker/protocol.ts';
import type { LongRunProgress } from '../../worker/longRun.ts';

/** Runs shorter than this show no indicator. */
export const SHOW_AFTER_MS = 300;

/** What the progress indicator shows. */
export interface LongRunView {
  /** e.g. `Running to 3:45:00` or `Replaying from the start to 1:00:00`. */
  label: string;
  /** 0..100. */
  pct: number;
}

export interface LongRuns {
  /** The run in progress once it has taken SHOW_AFTER_MS, else null. */
  progress: Accessor<LongRunView | null>;
  /** Runs or seeks to tS; the frame to apply, or null when a cancelled jump back kept the previous state. */
  run(tS: number): Promise<Frame | null>;
  /** Asks the worker to stop the run in progress. */
  cancel(): void;
}

/** The indicator's text and percentage for a progress report. */
export function longRunView(p: LongRunProgress): LongRunView {
  const span = p.toS - p.fromS;
  const pct = span > 0 ? Math.min(100, Math.max(0, ((p.atS - p.fromS) / span) * 100)) : 100;
  const label = p.kind === 'replay' ? `Replaying from the start to ${formatSimTime(p.toS)}` : `Running to ${formatSimTime(p.toS)}`;
  return { label, pct: Math.floor(pct) };
}

/** Long runs through a worker. Call inside a Solid root. */
export function createLongRuns(api: Comlink.Remote<WorkbenchApi>): LongRuns {
  const [progress, setProgress] = createSignal<LongRunView | null>(null);
  let runs = 0;
  return {
    progress,
    async run(tS) {
      const id = ++runs;
      let latest: LongRunView = { label: `Running to ${formatSimTime(tS)}`, pct: 0 };
      let shown = false;
      // Progress reports travel on their own port: one may arrive after the result.
      let done = false;
      const timer = setTimeout(() => {
        shown = true;
        if (id === runs) setProgress(latest);
      }, SHOW_AFTER_MS);
      const onProgress = Comlink.proxy((p: LongRunProgress) => {
        latest = longRunView(p);
        if (shown && !done && id === runs) setProgress(latest);
      });
      try {
        const r = await api.runTo(tS, onProgress);
        return r.frame;
      } finally {
        done = true;
        clearTimeout(timer);
        if (id === runs) setProgress(null);
      }
    },
    cancel() {
      void api.cancel();
    },
  };
}
