/**
 * Wiring an engine selection into runs: which scheduler of a run gets the engine, and the `engine: {name, reason}`
 * the CLI and the app report. Platform-neutral (the caller selected the engine with select.ts).
 *
 * A run uses the engine when its profile has a kernel (kernels/specs.ts) and its scheduler is a FrameworkScheduler;
 * otherwise it runs on the plugin path on the CPU, and the reason says so. `--engine cpu` (and `auto` without a
 * real GPU) keeps the plugin path: it is the reference the CPU twin is tested against and makes identical decisions.
 */
import type { Pod } from '../../model/pod.ts';
import type { Scenario } from '../../scenario/types.ts';
import { replaySteps, type ReplayOptions, type replayOpenb } from '../../sched/frag/replay.ts';
import type { CycleResult, SchedContext, Scheduler } from '../../sched/framework.ts';
import type { AsyncCycleScheduler } from '../../sim/simulation.ts';
import { FrameworkScheduler } from '../../sched/runner.ts';
import { EngineScheduler } from '../evaluator/engineScheduler.ts';
import { HamiEngineScheduler } from '../evaluator/hamiEngineScheduler.ts';
import { hamiKernelSpecFor } from '../kernels/hami.ts';
import { HamiScheduler } from '../../sched/hami/scheduler.ts';
import { kernelSpecFor } from '../kernels/specs.ts';
import { VolcanoEngineScheduler, volcanoEngineSchedulerFor } from '../evaluator/volcanoEngineScheduler.ts';
import type { EngineSelection } from './select.ts';

/** Which engine ran, and why (the CLI's `engine` field, the app's badge). */
export interface EngineReport {
  name: 'cpu' | 'gpu';
  reason: string;
}

/** The scheduler a run should use: an EngineScheduler when the selection is a GPU and the profile has a kernel. */
export function engineSchedulerFor(sel: EngineSelection, scheduler: Scheduler, profile: string, options: Record<string, unknown> | undefined, scenario: Scenario): Scheduler {
  const volcano = volcanoEngineSchedulerFor(sel, scheduler); // Volcano: per-task node scoring (volcanoEngineScheduler.ts)
  if (volcano) return volcano;
  const hami = hamiEngineSchedulerFor(sel, scheduler, profile, options); // HAMi: filterScoreHami + selectHami (hamiEngineScheduler.ts)
  if (hami) return hami;
  if (sel.engine.kind !== 'gpu' || !(scheduler instanceof FrameworkScheduler)) return scheduler;
  const spec = kernelSpecFor(profile, options, scenario);
  return spec ? new EngineScheduler(scheduler, spec, sel.engine, sel.reason) : scheduler;
}

/** What ran a run's scheduling: the GPU engine (or its CPU fallback after a failure) or the CPU plugin path. */
export function engineReportOf(sel: EngineSelection, scheduler: Scheduler): EngineReport {
  if (scheduler instanceof EngineScheduler) return { name: scheduler.activeEngine.kind, reason: scheduler.reason };
  if (scheduler instanceof VolcanoEngineScheduler) return { name: scheduler.activeEngine.kind, reason: scheduler.reason };
  if (scheduler instanceof HamiEngineScheduler) return { name: scheduler.activeEngine.kind, reason: scheduler.reason };
  if (sel.engine.kind === 'gpu') return { name: 'cpu', reason: `${sel.reason}; profile ${scheduler.name} has no GPU kernel yet, so it ran on the CPU` };
  return { name: 'cpu', reason: sel.reason };
}

/** One report for several runs: the first GPU run's, else the first run's (the CLI prints one engine line). */
export function mergeReports(reports: readonly EngineReport[], sel: EngineSelection): EngineReport {
  const distinct = [...new Map(reports.map((r) => [`${r.name}|${r.reason}`, r])).values()];
  if (distinct.length === 0) return { name: 'cpu', reason: sel.reason };
  if (distinct.length === 1) return distinct[0];
  const gpu = distinct.find((r) => r.name === 'gpu');
  return { name: gpu ? 'gpu' : 'cpu', reason: distinct.map((r) => r.reason).join(' | ') };
}

/** One cycle on a scheduler, awaiting `cycleAsync` when it has one (engine schedulers). */
export function cycleOn(s: Scheduler, queue: readonly Pod[], ctx: SchedContext): Promise<CycleResult> | CycleResult {
  const f = (s as Partial<AsyncCycleScheduler>).cycleAsync;
  return f ? f.call(s, queue, ctx) : s.cycle(queue, ctx);
}

/** The openb replay (sched/frag/replay.ts) on the selected engine; same result as replayOpenb. */
export async function replayOpenbOn(sel: EngineSelection, o: ReplayOptions): Promise<{ result: ReturnType<typeof replayOpenb>; engine: EngineReport }> {
  let scheduler: Scheduler | null = null;
  const result = await replayAsync(o, (s, scenario) => (scheduler = engineSchedulerFor(sel, s, o.policy, undefined, scenario)));
  return { result, engine: engineReportOf(sel, scheduler!) };
}

/** Runs an openb replay with its scheduler wrapped by `wrap`, awaiting each cycle (`cycleOn`). */
export async function replayAsync(o: ReplayOptions, wrap: (s: Scheduler, scenario: Scenario) => Scheduler): Promise<ReturnType<typeof replayOpenb>> {
  const steps = replaySteps(o, wrap);
  let r = steps.next();
  while (!r.done) r = steps.next(await cycleOn(r.value.scheduler, [r.value.pod], r.value.ctx));
  return r.value;
}

/** A HamiEngineScheduler when the selection is a GPU and the scheduler is one of the HAMi profiles, else null. */
export function hamiEngineSchedulerFor(sel: EngineSelection, scheduler: Scheduler, profile: string, options: Record<string, unknown> | undefined): HamiEngineScheduler | null {
  if (sel.engine.kind !== 'gpu' || !(scheduler instanceof HamiScheduler)) return null;
  const spec = hamiKernelSpecFor(profile, options);
  return spec ? new HamiEngineScheduler(scheduler, spec, sel.engine, sel.reason) : null;
}
