/**
 * The plan's progress: replicas done of the grid, the time left at the current pace, the engine in use and its
 * throughput (replicas per second and candidate evaluations per second), with Cancel (what finished is kept).
 * The bar is a native <progress>, whose role is progressbar, named by the line beside it.
 */
import { Show, type JSX } from 'solid-js';

/** What the progress line shows. */
export interface PlanProgressInfo {
  done: number;
  total: number;
  running: boolean;
  /** Wall seconds since the plan started (or until it stopped). */
  elapsedS: number;
  /** Candidate (pod, node) evaluations of the finished replicas, or null when the engine does not count them. */
  candidates: number | null;
  /** Engine in words, e.g. "CPU, 2 Web Workers". */
  engine: string;
  /** How the last run ended: null while running or before any. */
  ended: 'done' | 'cancelled' | 'failed' | null;
}

/** Seconds as "12 s", "3 min 5 s". */
export function formatEta(s: number): string {
  if (!Number.isFinite(s)) return '—';
  const r = Math.max(0, Math.round(s));
  return r < 60 ? `${r} s` : `${Math.floor(r / 60)} min ${r % 60} s`;
}

/** A rate with a sensible number of digits and SI suffix (k, M, G). */
export function formatRate(perS: number): string {
  if (!Number.isFinite(perS) || perS <= 0) return '0';
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [f, u] of units) if (perS >= f) return `${(perS / f).toFixed(perS / f >= 100 ? 0 : 1)}${u}`;
  return perS >= 10 ? perS.toFixed(0) : perS.toFixed(1);
}

/** Progress bar with ETA, engine, throughput and Cancel. */
export function PlanProgress(props: { info: PlanProgressInfo; onCancel: () => void; label?: string; unit?: string }): JSX.Element {
  const unit = () => props.unit ?? 'replicas';
  const id = `plan-progress-${Math.random().toString(36).slice(2, 8)}`;
  const p = () => props.info;
  const perS = () => (p().elapsedS > 0 ? p().done / p().elapsedS : 0);
  const eta = () => (perS() > 0 ? (p().total - p().done) / perS() : Infinity);
  const state = () =>
    p().running ? `ETA ${formatEta(eta())}` : p().ended === 'cancelled' ? `cancelled: finished ${unit()} kept` : p().ended === 'failed' ? 'stopped by an error' : p().ended === 'done' ? `done in ${formatEta(p().elapsedS)}` : 'not started';
  return (
    <div class="plan-progress" role="group" aria-label={props.label ?? 'Plan progress'}>
      <span id={id}>
        {p().done} of {p().total} {unit()}
      </span>
      <progress max={Math.max(1, p().total)} value={p().done} aria-labelledby={id} aria-valuetext={`${p().done} of ${p().total} ${unit()}, ${state()}`} />
      <span class="plan-progress-state">{state()}</span>
      <span class="plan-progress-engine" data-testid="plan-engine">
        {p().engine} · {formatRate(perS())} {unit()}/s · {p().candidates === null ? 'candidate evaluations not counted' : `${formatRate(p().elapsedS > 0 ? p().candidates! / p().elapsedS : 0)} candidate evaluations/s`}
      </span>
      <Show when={p().running}>
        <button type="button" aria-label={props.unit === 'replays' ? 'Cancel the paper grid' : 'Cancel the plan'} onClick={() => props.onCancel()}>
          Cancel
        </button>
      </Show>
    </div>
  );
}
