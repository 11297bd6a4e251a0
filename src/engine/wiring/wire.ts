/**
 * Wiring an engine selection into runs: the one function that builds a run's scheduler with an engine
 * (`withEngine`, and `engineWrap` for the simulator's and the CLI's run builders), and the `engine: {name, reason}`
 * the CLI and the app report. Platform-neutral (the caller selected the engine with select.ts).
 *
 * A run uses the engine when its profile declares a kernel (ProfileDefinition.kernel, kernels/specs.ts) and the
 * selection is a GPU: the scheduler gets the kernel's evaluator injected (sched/cycle.ts useEvaluator; the
 * evaluator by the kernel's kind, `evaluatorFor`). Otherwise it runs on its plugin path on the CPU, and the reason
 * says so. `--engine cpu` (and `auto` without a real GPU) keeps the plugin path: it is the reference the CPU twin
 * is tested against and makes identical decisions.
 */
import type { Pod } from '../../model/pod.ts';
import type { Scenario } from '../../scenario/types.ts';
import { replaySteps, type ReplayOptions, type replayOpenb } from '../../sched/frag/replay.ts';
import type { CycleResult, SchedContext, Scheduler } from '../../sched/framework.ts';
import { useEvaluator, type EvaluatorHost } from '../../sched/cycle.ts';
import type { AsyncCycleScheduler } from '../../sim/simulation.ts';
import { FrameworkScheduler } from '../../sched/runner.ts';
import { HamiScheduler } from '../../sched/hami/scheduler.ts';
import { VolcanoScheduler } from '../../sched/volcano/scheduler.ts';
import type { ProfileKernel } from '../../sched/profiles/kernelSpecs.ts';
import { FrameworkEvaluator } from '../evaluator/frameworkEvaluator.ts';
import { HamiEvaluator } from '../evaluator/hamiEvaluator.ts';
import { VolcanoEvaluator } from '../evaluator/volcanoEvaluator.ts';
import { TwinEvaluator } from '../evaluator/twinFallback.ts';
import { VolcanoCpuEngine } from '../cpu/volcanoCpuEngine.ts';
import { GpuEngine } from '../gpu/gpuEngine.ts';
import { VolcanoGpuEngine } from '../gpu/volcanoGpuEngine.ts';
import { profileKernelFor } from '../kernels/specs.ts';
import type { Engine } from '../kernels/types.ts';
import type { EngineSelection } from './select.ts';
import type { EngineStatus } from './status.ts';

/** A run's scheduler spec as the builders hand it over. */
export interface RunSpec {
  profile: string;
  options?: Record<string, unknown>;
}

/**
 * A run's scheduler with the selected engine: when the selection is a GPU and the profile declares a kernel for
 * these options and scenario, the kernel's evaluator is injected (the same scheduler object is returned).
 */
export function withEngine(sel: EngineSelection, scheduler: Scheduler, spec: RunSpec, scenario: Scenario): Scheduler {
  if (sel.engine.kind !== 'gpu') return scheduler;
  const kernel = profileKernelFor(spec.profile, spec.options, scenario);
  return kernel ? evaluatorFor(scheduler, kernel, sel.engine, sel.status) : scheduler;
}

/** The simulator's run-builder hook (SimOptions.wrapScheduler) for a selection: `withEngine` on each run's scheduler. */
export function engineWrap(sel: EngineSelection): (s: Scheduler, setup: { scenario: Scenario; schedulerSpec: RunSpec }) => Scheduler {
  return (s, setup) => withEngine(sel, s, setup.schedulerSpec, setup.scenario);
}

/**
 * Injects the evaluator of a kernel into a scheduler, on an engine (a GpuEngine, the CPU engine, or a lockstep
 * lane): by the kernel's kind — HAMi → HamiEvaluator, Volcano → VolcanoEvaluator (a Volcano engine on the
 * GpuEngine's device, else the twin), the k8s/FGD/baselines kernels → FrameworkEvaluator. A scheduler of another
 * shape than the kernel's stays on its plugin path.
 */
export function evaluatorFor(s: Scheduler, kernel: ProfileKernel, engine: Engine, status?: EngineStatus): Scheduler {
  switch (kernel.kind) {
    case 'hami':
      return s instanceof HamiScheduler ? useEvaluator(s, new HamiEvaluator(kernel, engine, status)) : s;
    case 'volcano':
      return s instanceof VolcanoScheduler ? useEvaluator(s, new VolcanoEvaluator(kernel, engine instanceof GpuEngine ? new VolcanoGpuEngine(engine) : new VolcanoCpuEngine(), status)) : s;
    default:
      return s instanceof FrameworkScheduler ? useEvaluator(s, new FrameworkEvaluator(kernel, engine, status)) : s;
  }
}

/** The engine evaluator injected into a scheduler, or null (the plugin path). */
export function engineEvaluatorOf(s: Scheduler): TwinEvaluator<{ readonly kind: 'cpu' | 'gpu'; readonly label: string }> | null {
  const ev = (s as Partial<EvaluatorHost<unknown>>).evaluator;
  return ev instanceof TwinEvaluator ? ev : null;
}

/** What ran a run's scheduling: the GPU engine (or its CPU fallback after a failure) or the CPU plugin path. */
export function engineStatusOf(sel: EngineSelection, scheduler: Scheduler): EngineStatus {
  const ev = engineEvaluatorOf(scheduler);
  if (ev) return ev.status;
  if (sel.engine.kind === 'gpu') return { engine: 'cpu', cause: 'no-kernel', adapter: sel.adapter, detail: scheduler.name, base: sel.status };
  return sel.status;
}

/** The distinct statuses of several runs (the selection's when there are none), in first-seen order. */
export function distinctStatuses(statuses: readonly EngineStatus[], sel: EngineSelection): EngineStatus[] {
  const out = [...new Map(statuses.map((st) => [JSON.stringify(st), st])).values()];
  return out.length ? out : [sel.status];
}

/** One cycle on a scheduler, awaiting `cycleAsync` when it has one (a scheduler with an engine evaluator). */
export function cycleOn(s: Scheduler, queue: readonly Pod[], ctx: SchedContext): Promise<CycleResult> | CycleResult {
  const f = (s as Partial<AsyncCycleScheduler>).cycleAsync;
  return f ? f.call(s, queue, ctx) : s.cycle(queue, ctx);
}

/** The openb replay (sched/frag/replay.ts) on the selected engine; same result as replayOpenb. */
export async function replayOpenbOn(sel: EngineSelection, o: ReplayOptions): Promise<{ result: ReturnType<typeof replayOpenb>; engine: EngineStatus }> {
  let scheduler: Scheduler | null = null;
  const result = await replayAsync(o, (s, scenario) => (scheduler = withEngine(sel, s, { profile: o.policy }, scenario)));
  return { result, engine: engineStatusOf(sel, scheduler!) };
}

/** Runs an openb replay with its scheduler wrapped by `wrap`, awaiting each cycle (`cycleOn`). */
export async function replayAsync(o: ReplayOptions, wrap: (s: Scheduler, scenario: Scenario) => Scheduler): Promise<ReturnType<typeof replayOpenb>> {
  const steps = replaySteps(o, wrap);
  let r = steps.next();
  while (!r.done) r = steps.next(await cycleOn(r.value.scheduler, [r.value.pod], r.value.ctx));
  return r.value;
}
