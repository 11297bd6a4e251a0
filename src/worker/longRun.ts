/**
 * Long runs and seeks in slices: the worker advances every run a slice of simulated time at a time (each slice
 * sized to take about `sliceMs` of wall time), reports progress, and gives the event loop a turn between slices
 * so a cancel request can arrive. The slicing never changes results: advancing to t1 then to t2 is the same
 * run as advancing to t2 (the workbench's playback relies on it too; a test checks the traceHash).
 *
 * Cancel leaves a usable state: a run forwards stops at the last finished slice, every run at the same time
 * (a frame of it is returned); a jump back replays into a fresh session, so a cancelled one keeps the previous
 * session untouched (no frame: the main thread keeps what it shows).
 * The wall clock is read only here, to size slices; the simulation never sees it.
 */
import type { Frame } from './protocol.ts';
import type { WorkbenchSession } from './session.ts';

/** What a long run reports between slices. */
export interface LongRunProgress {
  /** `run`: forwards from the current time; `replay`: a jump back, replaying from the start. */
  kind: 'run' | 'replay';
  fromS: number;
  toS: number;
  /** Simulated time every run has reached. */
  atS: number;
}

/** The outcome of a long run: the frame at the target, or (cancelled) the frame where it stopped, or none. */
export interface LongRunResult {
  cancelled: boolean;
  /** Null when a cancelled jump back kept the previous state (nothing changed). */
  frame: Frame | null;
}

/** The worker's side of a long run: its clock, a turn for the event loop, cancellation, progress. */
export interface LongRunHooks {
  nowMs(): number;
  /** Lets pending messages (a cancel) be handled. */
  yieldToEvents(): Promise<void>;
  cancelled(): boolean;
  onProgress?(p: LongRunProgress): void;
  /** Wall time one slice should take (default 40 ms). */
  sliceMs?: number;
}

/** Simulated time every unfinished run has reached (the duration when all are finished). */
export function reachedS(session: WorkbenchSession): number {
  let at = Infinity;
  for (const sim of session.simulations()) if (!sim.isFinished) at = Math.min(at, sim.nowS);
  return Number.isFinite(at) ? at : session.scenario.sim.durationS;
}

/** Advances every unfinished run of a session to tS, events at tS included, as advanceTo does (no frame built). */
async function runAll(session: WorkbenchSession, tS: number): Promise<void> {
  for (const sim of session.simulations()) if (!sim.isFinished && sim.nowS <= tS) await sim.runUntilAsync(tS);
}

/**
 * Runs a session to targetS in slices. A target before the current time (or `replay`, e.g. to move the runs onto
 * another engine) replays a fresh session from `fresh()`; returns the session to keep (the replayed one once it
 * reached the target) and the result.
 */
export async function runLong(
  session: WorkbenchSession,
  targetS: number,
  hooks: LongRunHooks,
  fresh: () => WorkbenchSession | Promise<WorkbenchSession>,
  replay = false,
): Promise<{ session: WorkbenchSession; result: LongRunResult }> {
  const durationS = session.scenario.sim.durationS;
  const toS = Math.min(Math.max(0, targetS), durationS);
  const back = replay || toS < session.nowS;
  const driver = back ? await fresh() : session;
  const fromS = reachedS(driver);
  const sliceMs = hooks.sliceMs ?? 40;
  // First slice: a small share of the way; later slices scale with the measured speed (×¼ to ×4 per slice).
  let stepS = Math.max(1, (toS - fromS) / 500);
  for (;;) {
    const atS = reachedS(driver);
    if (atS >= toS) break;
    if (hooks.cancelled()) return { session, result: { cancelled: true, frame: back ? null : session.frame() } };
    const t0 = hooks.nowMs();
    await runAll(driver, Math.min(toS, atS + stepS));
    const took = Math.max(0.5, hooks.nowMs() - t0);
    stepS = Math.max(1, stepS * Math.min(4, Math.max(0.25, sliceMs / took)));
    hooks.onProgress?.({ kind: back ? 'replay' : 'run', fromS, toS, atS: reachedS(driver) });
    await hooks.yieldToEvents();
  }
  // Every run at the target (a finished run stays at its end); one frame of the result.
  await runAll(driver, toS);
  const frame = driver.frame();
  if (back) frame.replayed = true;
  return { session: driver, result: { cancelled: false, frame } };
}
