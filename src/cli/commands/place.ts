/**
 * `slicebench place <scenario.json> [--profile NAME] [--json] [--explain]`: takes the cluster as the scenario
 * describes it (existingPods already bound) and places the pods the workloads create, in arrival order, one
 * scheduling decision each, with no time passing (nothing finishes, nothing autoscales). A gang-aware profile
 * decides a whole gang at once, as Volcano schedules a job: its pods are submitted together at the position of
 * the gang's first pod.
 */
import type { Pod } from '../../model/pod.ts';
import { ScenarioError } from '../../scenario/errors.ts';
import type { Scenario } from '../../scenario/types.ts';
import type { CycleResult, Explanation, SchedContext, Scheduler } from '../../sched/framework.ts';
import { ENGINE_OPTION, ENGINE_USAGE, engineLine, engineReport, selectCliEngine } from '../engine.ts';
import { cycleOn, engineStatusOf, withEngine } from '../../engine/wiring/wire.ts';
import type { EngineSelection } from '../../engine/wiring/select.ts';
import { getProfile, listProfiles } from '../../sched/profiles/index.ts';
import { buildRun, plannedPods } from '../../sim/setup.ts';
import { InputError, quoteInput, type CliIO } from '../io.ts';
import { loadScenarioFile } from '../scenarioFile.ts';
import type { Command } from '../main.ts';

/** One pod's outcome, as `--json` prints it. */
export interface Placement {
  pod: string;
  node: string | null;
  gpus: number[];
  /** Why not, when node is null (`0/N nodes are available: ...`). */
  reason?: string;
  /** With --explain: the decision's explanation, taken against the state just before it. */
  explain?: Explanation;
}

/** The result of placing a scenario's pods. */
export interface PlaceResult {
  profile: string;
  placements: Placement[];
  /** Pods a profile evicted to make room (preemption/reclaim), in order. */
  evicted: string[];
}

/** Index of the scheduler to use: the scenario's own spec for `profile` if it has one, else a new default spec. */
function withProfile(scenario: Scenario, profile: string | undefined): { scenario: Scenario; index: number } {
  if (profile === undefined) return { scenario, index: 0 };
  if (!getProfile(profile)) throw new InputError(`--profile: unknown profile ${quoteInput(profile)} (known: ${listProfiles().map((p) => p.name).join(', ')})`);
  const index = scenario.schedulers.findIndex((s) => s.profile === profile);
  if (index >= 0) return { scenario, index };
  return { scenario: { ...scenario, schedulers: [...scenario.schedulers, { profile }] }, index: scenario.schedulers.length };
}

/** Places the scenario's pending pods in order with the chosen profile; never advances time. */
export function placeScenario(input: Scenario, profile: string | undefined, explain: boolean): PlaceResult {
  const steps = placeSteps(input, profile, explain, (s) => s);
  let r = steps.next();
  while (!r.done) {
    const { scheduler: s, batch, ctx, explain: which } = r.value;
    const explanations = which.map((p) => s.explain(p, ctx));
    r = steps.next({ result: s.cycle(batch, ctx), explanations });
  }
  return r.value;
}

/** placeScenario on an engine (awaits the GPU engine's cycles); also says which engine ran. */
export async function placeScenarioAsync(input: Scenario, profile: string | undefined, explain: boolean, sel: EngineSelection): Promise<PlaceResult & { scheduler: Scheduler }> {
  let scheduler: Scheduler | null = null;
  const steps = placeSteps(input, profile, explain, (s, spec, scenario) => (scheduler = withEngine(sel, s, spec, scenario)));
  let r = steps.next();
  while (!r.done) {
    const { scheduler: s, batch, ctx, explain: which } = r.value;
    const onEngine = (s as Partial<{ explainAsync(p: Pod, c: SchedContext): Promise<Explanation> }>).explainAsync;
    // "why here?" from the engine's own ranking (the GPU when it runs) before the decision changes the state
    const explanations: Explanation[] = [];
    for (const p of which) explanations.push(onEngine ? await onEngine.call(s, p, ctx) : s.explain(p, ctx));
    const result = await cycleOn(s, batch, ctx);
    r = steps.next({ result, explanations });
  }
  return { ...r.value, scheduler: scheduler! };
}

interface PlaceStep {
  scheduler: Scheduler;
  batch: Pod[];
  ctx: SchedContext;
  /** Pods to explain against the state before this decision (the batch with --explain, else none). */
  explain: Pod[];
}

/** What a driver answers for a step: the cycle's result and one explanation per `PlaceStep.explain` pod. */
interface PlaceAnswer {
  result: CycleResult;
  explanations: Explanation[];
}

/** The placement loop; yields each decision's cycle to the caller (sync or async driver). */
function* placeSteps(
  input: Scenario,
  profile: string | undefined,
  explain: boolean,
  wrap: (s: Scheduler, spec: { profile: string; options?: Record<string, unknown> }, scenario: Scenario) => Scheduler,
): Generator<PlaceStep, PlaceResult, PlaceAnswer> {
  const { scenario, index } = withProfile(input, profile);
  const run = buildRun(scenario, index);
  const scheduler = wrap(run.scheduler, run.schedulerSpec, scenario);
  const pods = plannedPods(scenario, run.factory, run.workloadRng).map((p) => p.pod);
  const ctx: SchedContext = { cluster: run.cluster, rng: run.schedulerRng, nowS: 0 };
  const byPod = new Map<Pod, Placement>();
  const evicted: string[] = [];
  const done = new Set<number>();
  for (const pod of pods) {
    if (done.has(pod.uid)) continue;
    // One decision: this pod alone, or its whole gang under a gang-aware profile.
    const batch = scheduler.gangAware && pod.gang >= 0 ? pods.filter((p) => p.gang === pod.gang) : [pod];
    for (const p of batch) done.add(p.uid);
    const answer: PlaceAnswer = yield { scheduler, batch, ctx, explain: explain ? batch : [] };
    batch.forEach((p, i) => byPod.set(p, { pod: p.name, node: null, gpus: [], ...(explain ? { explain: answer.explanations[i] } : {}) }));
    const r = answer.result;
    for (const e of r.evicted) {
      if (e.binding) run.cluster.unbind(e);
      e.phase = 'pending';
      evicted.push(e.name);
      const earlier = byPod.get(e);
      if (earlier) Object.assign(earlier, { node: null, gpus: [], reason: 'evicted' });
    }
    for (const p of batch) {
      const out = byPod.get(p)!;
      if (p.binding) {
        p.phase = 'bound';
        out.node = run.cluster.nodes[p.binding.nodeId].name;
        out.gpus = p.binding.gpus.map((g) => g.gpu);
      } else {
        out.reason = p.lastReason || 'not placed';
      }
    }
  }
  return { profile: run.schedulerSpec.profile, placements: pods.map((p) => byPod.get(p)!), evicted };
}

function formatExplain(e: Explanation, io: CliIO): void {
  const rejected = Object.entries(e.rejected).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  io.out(`    rejected: ${rejected.length ? rejected.map(([r, n]) => `${n} ${r}`).join(', ') : 'none'}`);
  io.out(`    feasible: ${e.feasibleNodes} node(s)`);
  for (const d of e.devices ?? []) io.out(`    device: ${d}`);
  for (const c of e.top) {
    const parts = c.plugins.map((p) => `${p.plugin} raw ${p.raw} → ${p.normalized} ×${p.weight}`);
    io.out(`    ${c.node}: total ${c.total} = ${parts.join(' + ') || 'no score plugins'}`);
  }
}

export const placeCommand: Command = {
  name: 'place',
  usage: `place <scenario.json> [--profile NAME] [--json] [--explain] ${ENGINE_USAGE}`,
  summary: "Place the scenario's pending pods on its cluster as it is, one decision each, no time passing.",
  options: { profile: { type: 'string' }, json: { type: 'boolean' }, explain: { type: 'boolean' }, ...ENGINE_OPTION },
  async run(positionals, values, io) {
    if (positionals.length !== 1) throw new InputError('expected exactly one scenario file');
    const path = positionals[0];
    const scenario = loadScenarioFile(path);
    let result: PlaceResult & { scheduler: Scheduler };
    const sel = await selectCliEngine(values.engine, io);
    try {
      result = await placeScenarioAsync(scenario, values.profile as string | undefined, values.explain === true, sel);
    } catch (e) {
      if (e instanceof ScenarioError) throw new InputError(`${path}: ${e.message}`);
      throw e;
    } finally {
      sel.engine.destroy();
    }
    const engine = engineReport([engineStatusOf(sel, result.scheduler)]);
    io.err(engineLine(engine));
    if (values.json) {
      const out: Record<string, unknown> = {
        placements: result.placements.map((p) => ({ pod: p.pod, node: p.node, gpus: p.gpus, ...(p.node === null ? { reason: p.reason } : {}), ...(p.explain ? { explain: p.explain } : {}) })),
      };
      if (result.evicted.length) out.evicted = result.evicted;
      out.engine = engine;
      io.out(JSON.stringify(out));
      return 0;
    }
    io.out(`profile ${result.profile}`);
    for (const p of result.placements) {
      io.out(p.node === null ? `${p.pod} → unschedulable: ${p.reason}` : `${p.pod} → ${p.node}${p.gpus.length ? ` GPUs [${p.gpus.join(', ')}]` : ''}`);
      if (p.explain) formatExplain(p.explain, io);
    }
    const placed = result.placements.filter((p) => p.node !== null).length;
    io.out(`${placed} placed, ${result.placements.length - placed} unschedulable${result.evicted.length ? `, ${result.evicted.length} evicted` : ''}`);
    return 0;
  },
};
