/**
 * What the engine evaluators (frameworkEvaluator.ts, hamiEvaluator.ts, volcanoEvaluator.ts) share: the
 * selected engine with its CPU twin and the reason shown for the choice (`TwinEvaluator`), the switch to the twin when the engine
 * fails (device lost, a cluster the kernel cannot hold, an error: nothing is applied before a decision is read
 * back, so the twin's state is current), and the loops that answer a cycle generator's evaluation requests.
 */
import type { Pod, PodRequest } from '../../model/pod.ts';
import type { CycleResult } from '../../sched/framework.ts';
import type { EvalWindow, SpreadBatch } from '../kernels/types.ts';
import type { SpreadInputs } from '../kernels/spread.ts';
import type { EngineStatus } from '../wiring/status.ts';

/** One evaluation request of a pod-at-a-time cycle (FrameworkEvaluator, HamiEvaluator): a pod and its window of nodes. */
export interface WindowStep {
  pod: Pod;
  window: EvalWindow;
  /** FrameworkEvaluator: the pod's PodTopologySpread inputs when the k8s kernel's spread pass scores it. */
  spread?: SpreadInputs;
}

/** An engine that answers window steps with one decision `D` per pod. */
export interface WindowEngine<D> {
  readonly label: string;
  evaluate(pods: readonly PodRequest[], windows: readonly EvalWindow[], topK?: number, spread?: SpreadBatch): Promise<D[]>;
}

/** A CPU twin that answers window steps synchronously. */
export interface WindowTwin<D> {
  evaluateSync(pods: readonly PodRequest[], windows: readonly EvalWindow[], topK?: number, spread?: SpreadBatch): D[];
}

/** A step's spread inputs as an evaluation's batch (undefined when the step has none). */
function spreadOf(s: WindowStep): SpreadBatch | undefined {
  return s.spread ? [s.spread] : undefined;
}

/** The engine an evaluator uses now, its CPU twin, and its status (updated when it falls back). */
export class TwinFallback<E extends { readonly label: string }> {
  constructor(
    public engine: E,
    readonly cpu: E,
    public status: EngineStatus,
  ) {}

  /** True when the CPU twin runs (selected so, or after a fallback). */
  get onTwin(): boolean {
    return this.engine === this.cpu;
  }

  /** Switches the rest of the run to the CPU twin; the status says which engine failed and why. */
  fallBack(err: unknown): void {
    this.status = { engine: 'cpu', cause: 'gpu-failed', adapter: this.engine.label, detail: err instanceof Error ? err.message : String(err) };
    this.engine = this.cpu;
  }

  /**
   * `step` on the engine now in use; if it throws while that is not the CPU twin, falls back and returns
   * `onTwin()` (the same request answered by the twin). On the twin an error propagates.
   */
  async attempt<T>(step: (engine: E) => T | Promise<T>, onTwin: () => T): Promise<T> {
    if (this.onTwin) return step(this.engine);
    try {
      return await step(this.engine);
    } catch (err) {
      this.fallBack(err);
      return onTwin();
    }
  }
}

/** Runs a cycle generator to its result, answering each request synchronously with `answer`. */
export function runSteps<S, R, D>(it: Generator<S, R, D>, answer: (request: S) => D): R {
  let r = it.next();
  while (!r.done) r = it.next(answer(r.value));
  return r.value;
}

/** Runs a cycle generator to its result, answering each request with `answer` (awaited in order). */
export async function runStepsAsync<S, R, D>(it: Generator<S, R, D>, answer: (request: S) => Promise<D>): Promise<R> {
  let r = it.next();
  while (!r.done) r = it.next(await answer(r.value));
  return r.value;
}

/** Runs a window-step cycle on the CPU twin (the synchronous simulator loop). */
export function cycleOnTwin<D>(steps: Generator<WindowStep, CycleResult, D>, cpu: WindowTwin<D>): CycleResult {
  return runSteps(steps, (s) => cpu.evaluateSync([s.pod.request], [s.window], 0, spreadOf(s))[0]);
}

/**
 * Runs a window-step cycle on the engine in use: `attach` first (e.g. a cluster the kernel cannot hold, GPUs per
 * node or binding limits: the run goes on on the twin), then each request; a failure answers it and the rest of
 * the run on the twin.
 */
export async function cycleOnEngine<D, E extends WindowEngine<D>>(
  twin: TwinFallback<E>,
  cpu: WindowTwin<D>,
  attach: () => void,
  steps: Generator<WindowStep, CycleResult, D>,
): Promise<CycleResult> {
  await twin.attempt(attach, attach);
  const onTwin = (s: WindowStep): D => cpu.evaluateSync([s.pod.request], [s.window], 0, spreadOf(s))[0];
  return runStepsAsync(steps, (s) => twin.attempt(async (e) => (await e.evaluate([s.pod.request], [s.window], 0, spreadOf(s)))[0], () => onTwin(s)));
}

/**
 * The base of the engine evaluators (sched/cycle.ts CandidateEvaluator): the engine in use with its CPU twin,
 * and which engine answers now and why (wiring/wire.ts reads it for the run's report).
 */
export abstract class TwinEvaluator<E extends { readonly kind: 'cpu' | 'gpu'; readonly label: string }, C extends E = E> {
  protected readonly twin: TwinFallback<E>;

  /** `status`: the selection's (default: this engine, as given); replaced by a `gpu-failed` status on fallback. */
  constructor(engine: E, protected readonly cpu: C, status: EngineStatus = { engine: engine.kind, cause: 'requested', adapter: engine.label, detail: '' }) {
    this.twin = new TwinFallback<E>(engine, cpu, status);
  }

  /** Which engine runs and why (the app and the CLI put it into words); updated on fallback. */
  get status(): EngineStatus {
    return this.twin.status;
  }

  /** The engine now in use. */
  get activeEngine(): E {
    return this.twin.engine;
  }

  protected get engine(): E {
    return this.twin.engine;
  }

  /** A read-only question to the engine now in use ("why here?"), or null when it fails (the caller asks the twin). */
  protected async askEngine<T>(ask: (engine: E) => Promise<T>): Promise<T | null> {
    try {
      return await ask(this.engine);
    } catch {
      return null;
    }
  }
}
