/**
 * The main thread's side of long runs and seeks: asks the worker to run in slices (`runTo`), and shows a
 * progress indicator with Cancel only when the run takes longer than SHOW_AFTER_MS (short seeks stay silent).
 */
import { createSignal, type Accessor } from 'solid-js';
import * as Comlink from 'comlink';
import { formatSimTime } from '../lib/format.ts';
import type { EngineSwitch, Frame, WorkbenchApi } from '../../worker/protocol.ts';
import type { EngineChoice } from '../../worker/engineInfo.ts';
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
  /** Re-selects the engine and replays the runs on it to the current time (same progress and cancel). */
  switchEngine(choice: EngineChoice): Promise<EngineSwitch>;
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

/**
 * Long runs through a worker. Call inside a Solid root. `ask`: a question to confirm before running (a scenario
 * above its profiles' practical limits, scenario/scaleLimits.ts), or null; each question is asked once, and a run
 * the user declines does not start (run() answers null, as for a cancelled jump).
 */
export function createLongRuns(api: Comlink.Remote<WorkbenchApi>, ask: () => string | null = () => null, confirm: (q: string) => boolean = (q) => window.confirm(q)): LongRuns {
  const confirmed = new Set<string>();
  const [progress, setProgress] = createSignal<LongRunView | null>(null);
  let runs = 0;
  /** Calls the worker with a progress callback; shows the indicator once the call took SHOW_AFTER_MS. */
  async function track<T>(first: LongRunView, call: (onProgress: (p: LongRunProgress) => void) => Promise<T>): Promise<T> {
    const id = ++runs;
    let latest = first;
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
      return await call(onProgress);
    } finally {
      done = true;
      clearTimeout(timer);
      if (id === runs) setProgress(null);
    }
  }
  return {
    progress,
    async run(tS) {
      const q = ask();
      if (q !== null && !confirmed.has(q)) {
        if (!confirm(q)) return null;
        confirmed.add(q);
      }
      const r = await track({ label: `Running to ${formatSimTime(tS)}`, pct: 0 }, (onProgress) => api.runTo(tS, onProgress));
      return r.frame;
    },
    switchEngine(choice) {
      return track({ label: 'Replaying the runs on the new engine', pct: 0 }, (onProgress) => api.setEngine(choice, onProgress));
    },
    cancel() {
      void api.cancel();
    },
  };
}
