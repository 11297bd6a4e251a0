/**
 * The browser parity run (parity.html, a build input of its own): the CPU engine and the WebGPU engine, forced
 * (a fallback/software adapter is accepted: this checks correctness, not speed), on seeded random worlds and pods
 * for every kernel in PARITY_KERNELS (k8s-default, k8s-timeslicing, fgd, the five FGD baselines); every decision record must be identical. Exposes `window.runParity(options)`
 * for test/e2e/parity.test.ts; `?run=1` runs it on load and prints the result.
 *
 * Adding a kernel: append a ParityKernel to PARITY_KERNELS — `engineKernel(name, world)` for a kernel spec behind
 * the Engine interface (world i: cluster, spec, pods, the windows the profile uses), or an object with its own
 * `check` for a kernel with its own host code; the e2e test asks for a number of worlds per name. The world
 * generators are the Node parity suites' own (test/parity/), so the browser sees the same kinds of worlds.
 */
import { Rng } from '../core/rng.ts';
import type { ClusterState } from '../model/cluster.ts';
import type { PodRequest } from '../model/pod.ts';
import { CpuEngine } from './cpu/cpuEngine.ts';
import type { GpuEngine } from './gpu/gpuEngine.ts';
import { loadShaderFilesVite } from './gpu/shadersVite.ts';
import { FGD_BASELINES, kernelSpecFor } from './kernels.ts';
import { selectEngine } from './select.ts';
import type { Decision, EvalWindow, KernelSpec } from './types.ts';
import { podOf, randomCluster, randomRequest } from '../../test/parity/random.ts';
import { podOfTrace, randomFgdWorld, randomTracePod } from '../../test/parity/randomFgd.ts';
import { randomBaselineWorld } from '../../test/parity/randomBaselines.ts';
import { randomTimeSlicingCluster } from '../../test/parity/randomTimeSlicing.ts';

/** One random world of a kernel: the cluster, the kernel spec, the pods (one decision each) and their windows. */
export interface ParityWorld {
  cluster: ClusterState;
  spec: KernelSpec;
  pods: PodRequest[];
  windows: EvalWindow[];
}

/** The decisions of one world on both engines (compared as JSON, in order), and how many found a feasible node. */
export interface ParityOutcome {
  want: unknown[];
  got: unknown[];
  placed: number;
}

/**
 * A kernel the page checks: a name (the profile) and a check of world `i` (1-based, deterministic) with `pods`
 * pods on the CPU twin and on the GPU engine. Kernels behind the Engine interface use `engineKernel`; a kernel with
 * its own host code (its own reduction) implements `check` directly.
 */
export interface ParityKernel {
  name: string;
  check(gpu: GpuEngine, i: number, pods: number): Promise<ParityOutcome>;
}

/** A ParityKernel for a kernel spec run through `Engine.attach`/`evaluate`: CPU engine vs GPU engine decisions. */
export function engineKernel(name: string, world: (i: number, pods: number) => ParityWorld): ParityKernel {
  return {
    name,
    async check(gpu, i, pods) {
      const w = world(i, pods);
      const cpu = new CpuEngine();
      cpu.attach(w.cluster, w.spec);
      gpu.attach(w.cluster, w.spec);
      const want: Decision[] = cpu.evaluateSync(w.pods, w.windows);
      const got: Decision[] = await gpu.evaluate(w.pods, w.windows);
      return { want, got, placed: want.filter((d) => d.feasible > 0).length };
    },
  };
}

export interface ParityOptions {
  /** Random worlds per kernel name (a name left out is not run; an unknown name is reported as a mismatch). */
  worlds: Record<string, number>;
  /** Pods per world (one decision each). */
  pods: number;
}

/** What one kernel's run covered. */
export interface KernelTally {
  clusters: number;
  decisions: number;
  /** Decisions with at least one feasible node (the comparison is not vacuous). */
  placed: number;
}

export interface ParityReport {
  ok: boolean;
  /** Why no run happened (no navigator.gpu, no adapter…). */
  unavailable: string | null;
  adapter: string | null;
  software: boolean;
  clusters: number;
  decisions: number;
  placed: number;
  /** Per kernel name, in PARITY_KERNELS order. */
  kernels: Record<string, KernelTally>;
  mismatches: string[];
}

/** Random windows: a random start and a random number of feasible nodes to find (kube's percentageOfNodesToScore). */
function randomWindows(rng: Rng, n: number, count: number): EvalWindow[] {
  return Array.from({ length: count }, () => ({ start: rng.int(n), want: 1 + rng.int(n) }));
}

/** Kernel spec of a profile, or an error naming it (a profile whose kernel went away must not pass silently). */
function specOf(profile: string, options?: Record<string, unknown>, scenario?: Parameters<typeof kernelSpecFor>[2]): KernelSpec {
  const spec = kernelSpecFor(profile, options, scenario);
  if (!spec) throw new Error(`${profile}: no kernel spec`);
  return spec;
}

/** The k8s-default world of test/parity/random.ts: 1–40 nodes (every 25th up to 300), LeastAllocated or MostAllocated. */
const k8sDefault = engineKernel('k8s-default', (i, pods) => {
  const rng = new Rng(i * 104729);
  const cluster = randomCluster(rng, 1 + rng.int(i % 25 === 0 ? 300 : 40));
  const spec = specOf('k8s-default', i % 2 ? {} : { strategy: 'MostAllocated', gpuWeight: 1 });
  const reqs = Array.from({ length: pods }, () => podOf(randomRequest(rng, cluster.nodes[0].cpuMilli, cluster.nodes[0].memMiB)).request);
  return { cluster, spec, pods: reqs, windows: randomWindows(rng, cluster.nodes.length, pods) };
});

/** The k8s-timeslicing world of test/parity/randomTimeSlicing.ts: 1–6 replicas per GPU, usage booked by the profile's allocator. */
const k8sTimeSlicing = engineKernel('k8s-timeslicing', (i, pods) => {
  const rng = new Rng(i * 7717 + 3);
  const replicas = 1 + rng.int(6);
  const spec = specOf('k8s-timeslicing', { replicas, strategy: i % 2 ? 'LeastAllocated' : 'MostAllocated', gpuWeight: i % 3 });
  const cluster = randomTimeSlicingCluster(rng, 1 + rng.int(i % 10 === 0 ? 300 : 40), replicas);
  const reqs = Array.from({ length: pods }, () => randomRequest(rng, cluster.nodes[0].cpuMilli, cluster.nodes[0].memMiB));
  return { cluster, spec, pods: reqs, windows: randomWindows(rng, cluster.nodes.length, pods) };
});

/** The fgd world of test/parity/randomFgd.ts: openb-style nodes with part of a trace placed, random trace pods. */
const fgd = engineKernel('fgd', (i, pods) => {
  const w = randomFgdWorld(i * 7919, 1 + (i % 30));
  const rng = new Rng(i);
  const reqs = Array.from({ length: pods }, (_, k) => podOfTrace(randomTracePod(rng, k), 3_000_000 + k).request);
  return { cluster: w.cluster, spec: specOf('fgd', { coveragePct: w.coveragePct }, w.scenario), pods: reqs, windows: randomWindows(rng, w.cluster.nodes.length, pods) };
});

/**
 * An FGD-paper baseline (test/parity/randomBaselines.ts: up to 16-GPU, 160-core nodes, unhealthy GPUs, part of a
 * trace placed by the policy itself). bestfit normalizes over every node, so its window is the whole cluster.
 */
function baseline(policy: string): ParityKernel {
  return engineKernel(policy, (i, pods) => {
    const w = randomBaselineWorld(policy, i * 31 + 5, 1 + (i % 40));
    const rng = new Rng(i * 13 + 1);
    const n = w.cluster.nodes.length;
    const reqs = Array.from({ length: pods }, (_, k) => podOfTrace(randomTracePod(rng, k), 2_000_000 + k).request);
    const windows = policy === 'bestfit' ? reqs.map(() => ({ start: rng.int(n), want: n })) : randomWindows(rng, n, pods);
    return { cluster: w.cluster, spec: specOf(policy), pods: reqs, windows };
  });
}

/** Every kernel the browser parity page checks, in run order. */
export const PARITY_KERNELS: readonly ParityKernel[] = [k8sDefault, k8sTimeSlicing, fgd, ...FGD_BASELINES.map(baseline)];

/** Runs both engines on the requested worlds; never throws (errors are mismatches, a missing GPU is `unavailable`). */
export async function runParity(o: ParityOptions): Promise<ParityReport> {
  const report: ParityReport = { ok: false, unavailable: null, adapter: null, software: false, clusters: 0, decisions: 0, placed: 0, kernels: {}, mismatches: [] };
  const unknown = Object.keys(o.worlds).filter((name) => !PARITY_KERNELS.some((k) => k.name === name));
  if (unknown.length) report.mismatches.push(`no parity kernel named ${unknown.join(', ')}`);
  const gpu = navigator.gpu;
  let sel;
  try {
    sel = await selectEngine('gpu', { gpu, missing: gpu ? undefined : 'this browser has no WebGPU (navigator.gpu)', files: loadShaderFilesVite() });
  } catch (e) {
    report.unavailable = e instanceof Error ? e.message : String(e);
    return report;
  }
  report.adapter = sel.adapter;
  report.software = sel.software;
  const g = sel.engine as GpuEngine;
  try {
    for (const kernel of PARITY_KERNELS) {
      const count = o.worlds[kernel.name] ?? 0;
      if (count <= 0) continue;
      const tally: KernelTally = (report.kernels[kernel.name] = { clusters: 0, decisions: 0, placed: 0 });
      for (let i = 1; i <= count; i++) {
        const { want, got, placed } = await kernel.check(g, i, o.pods);
        tally.clusters++;
        tally.placed += placed;
        if (got.length !== want.length) report.mismatches.push(`${kernel.name} world ${i}: ${want.length} CPU decisions, ${got.length} GPU decisions`);
        for (let p = 0; p < want.length; p++) {
          tally.decisions++;
          if (JSON.stringify(got[p]) !== JSON.stringify(want[p]) && report.mismatches.length < 10) report.mismatches.push(`${kernel.name} world ${i} pod ${p}: cpu ${JSON.stringify(want[p])} gpu ${JSON.stringify(got[p])}`);
        }
      }
      report.clusters += tally.clusters;
      report.decisions += tally.decisions;
      report.placed += tally.placed;
    }
  } catch (e) {
    report.mismatches.push(`error: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    g.destroy();
  }
  report.ok = report.mismatches.length === 0 && report.decisions > 0;
  return report;
}

declare global {
  interface Window {
    runParity?: (o: ParityOptions) => Promise<ParityReport>;
  }
}

if (typeof window !== 'undefined') {
  window.runParity = runParity;
  if (new URLSearchParams(location.search).get('run') === '1') {
    void runParity({ worlds: Object.fromEntries(PARITY_KERNELS.map((k) => [k.name, 10])), pods: 4 }).then((r) => {
      document.getElementById('out')!.textContent = JSON.stringify(r, null, 2);
    });
  }
}
