/**
 * The browser parity run (test/e2e/parity.html, a build input of `vite build --mode test` only: test code stays out of dist/): the CPU engine and the WebGPU engine, forced
 * (a fallback/software adapter is accepted: this checks correctness, not speed), on seeded random worlds and pods
 * for every kernel in PARITY_KERNELS (k8s-default, k8s-timeslicing, fgd, the five FGD baselines, hami-binpack, hami-spread,
 * hami-topology, volcano, volcano-hami); every decision record, and for the HAMi and Volcano kernels every (pod, node)
 * result word, must be identical. Exposes `window.runParity(options)`
 * for test/e2e/parity.test.ts; `?run=1` runs it on load and prints the result.
 *
 * Adding a kernel: append a ParityKernel to PARITY_KERNELS — `engineKernel(name, world)` for a kernel spec behind
 * the Engine interface (world i: cluster, spec, pods, the windows the profile uses), or an object with its own
 * `check` for a kernel with its own host code (HAMi, Volcano: their own evaluators, reductions and decision records);
 * the e2e test asks for a number of worlds per name. The world
 * generators are the Node parity suites' own (test/parity/), so the browser sees the same kinds of worlds.
 */
import { Rng } from '../../src/core/rng.ts';
import type { ClusterState } from '../../src/model/cluster.ts';
import type { PodRequest } from '../../src/model/pod.ts';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import type { GpuEngine } from '../../src/engine/gpu/gpuEngine.ts';
import { loadShaderFilesVite } from '../../src/engine/gpu/shadersVite.ts';
import { FGD_BASELINES, kernelSpecFor, hamiKernelSpecFor, volcanoKernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { selectEngine } from '../../src/engine/wiring/select.ts';
import type { Decision, EvalWindow, KernelSpec } from '../../src/engine/kernels/types.ts';
import { CpuHamiEngine } from '../../src/engine/cpu/filterScoreHami.ts';
import { VolcanoCpuEngine } from '../../src/engine/cpu/volcanoCpuEngine.ts';
import { hamiGpuFor } from '../../src/engine/gpu/hamiGpu.ts';
import { VolcanoGpuEngine } from '../../src/engine/gpu/volcanoGpuEngine.ts';
import { type HamiEngine } from '../../src/engine/kernels/hami.ts';
import { volcanoKernelSpecOf, type VolcanoEngine, type VolcanoKernelSpec } from '../../src/engine/kernels/volcano.ts';
import { podOf, randomCluster, randomRequest } from '../parity/random.ts';
import { podOfTrace, randomFgdWorld, randomTracePod } from '../parity/randomFgd.ts';
import { randomBaselineWorld } from '../parity/randomBaselines.ts';
import { randomTimeSlicingCluster } from '../parity/randomTimeSlicing.ts';
import { randomHamiPods, randomHamiWorld } from '../parity/randomHami.ts';
import { boundaryGroups, boundaryWorld, randomTask, randomVolcanoCluster, volcanoConfigs, type BoundaryNode } from '../parity/volcanoWorlds.ts';

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
  /** Per-(pod, node) result words of both engines, compared word by word, when the kernel exposes them (HAMi, Volcano). */
  words?: { want: Uint32Array; got: Uint32Array };
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
  /** Per-(pod, node) result words compared (0 for kernels compared by decisions only). */
  resultWords: number;
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

/**
 * A HAMi profile (test/parity/randomHami.ts: mixed NVIDIA/AMD pools, random knobs incl. node policy, split count,
 * memory scaling, mutex; slices booked by the profile's own HamiScheduler; unhealthy and cordoned cards). HAMi pods
 * only (annotated pods take the plugin path), random windows; the CPU twin (CpuHamiEngine) against the GPU
 * evaluator (hamiGpuFor): every packed result and every decision record (window cut, reasons, key, tie set).
 * Given a CPU engine instead of a GpuEngine (the Node check of the generators), both sides are the twin.
 */
function hami(profile: string): ParityKernel {
  return {
    name: profile,
    async check(gpu, i, pods) {
      const n = 1 + (i % 10 === 0 ? 150 : i % 30);
      const w = randomHamiWorld(i * 7727 + profile.length, n, profile, n > 100 ? n : undefined);
      const spec = hamiKernelSpecFor(profile, w.options);
      if (!spec) throw new Error(`${profile}: no HAMi kernel spec`);
      const rng = new Rng(i * 5 + 3);
      // pods at the scale of the smallest node (the Node suite's 96 cores / 768 GiB leave most decisions without a fit)
      const reqs = randomHamiPods(rng, w, pods, Math.min(...w.cluster.nodes.map((nd) => nd.cpuMilli)), Math.min(...w.cluster.nodes.map((nd) => nd.memMiB)));
      const windows = randomWindows(rng, n, pods);
      const cpu = new CpuHamiEngine();
      const other: HamiEngine = gpu.kind === 'gpu' ? hamiGpuFor(gpu) : new CpuHamiEngine();
      cpu.attach(w.cluster, spec);
      other.attach(w.cluster, spec);
      const words = { want: cpu.scoreAllSync(reqs), got: await other.scoreAll(reqs) };
      const want = cpu.evaluateSync(reqs, windows);
      const got = await other.evaluate(reqs, windows);
      return { want, got, placed: want.filter((d) => d.fit > 0).length, words };
    },
  };
}

let boundaryCache: BoundaryNode[][] | null = null;
/** Volcano's float64 boundary groups (computed on first use: the page loads without them). */
function volcanoBoundaryGroups(): BoundaryNode[][] {
  return (boundaryCache ??= boundaryGroups(40));
}

/**
 * A Volcano profile (test/parity/volcanoWorlds.ts): `volcano` cycles through the whole-GPU configurations of
 * volcanoConfigs (default, binpack weights, binpack off), `volcano-hami` through the deviceshare ones (binpack and
 * spread card orders, split 2); clusters carry whole-GPU and vGPU bookings, some cards unhealthy. Every 4th
 * `volcano` world is a float64 boundary world (exact rational totals tie, float64 does not) whose first task is
 * the boundary task. The CPU twin (VolcanoCpuEngine) against VolcanoGpuEngine: result words (float64 totals bit
 * for bit, reason bits) and decision records. Given a CPU engine instead of a GpuEngine, both sides are the twin.
 */
function volcanoKernel(profile: 'volcano' | 'volcano-hami'): ParityKernel {
  const kind = profile === 'volcano' ? 'whole' : 'vgpu';
  const configs = volcanoConfigs().filter((c) => c.config.devices.kind === kind);
  return {
    name: profile,
    async check(gpu, i, pods) {
      const rng = new Rng(i * 6007 + profile.length);
      let spec: VolcanoKernelSpec | null;
      let cluster: ClusterState;
      const reqs: PodRequest[] = [];
      if (profile === 'volcano' && i % 4 === 0) {
        const groups = volcanoBoundaryGroups();
        const b = boundaryWorld(groups[(i / 4 - 1) % groups.length], rng);
        spec = volcanoKernelSpecFor('volcano');
        cluster = b.cluster;
        reqs.push(b.task.request);
      } else {
        spec = volcanoKernelSpecOf(configs[i % configs.length].config);
        cluster = randomVolcanoCluster(rng, 1 + rng.int(i % 10 === 0 ? 150 : 40));
      }
      if (!spec) throw new Error(`${profile}: no Volcano kernel spec`);
      const maxCpu = Math.max(...cluster.nodes.map((nd) => nd.cpuMilli));
      const maxMem = Math.max(...cluster.nodes.map((nd) => nd.memMiB));
      while (reqs.length < pods) reqs.push(randomTask(rng, maxCpu, maxMem, 15360)); // the Node suite's card scale
      const cpu = new VolcanoCpuEngine();
      const other: VolcanoEngine = gpu.kind === 'gpu' ? new VolcanoGpuEngine(gpu) : new VolcanoCpuEngine();
      try {
        cpu.attach(cluster, spec);
        other.attach(cluster, spec);
        const words = { want: cpu.scoreAllSync(reqs), got: await other.scoreAll(reqs) };
        const want = cpu.evaluateSync(reqs);
        const got = await other.evaluate(reqs);
        return { want, got, placed: want.filter((d) => d.feasible > 0).length, words };
      } finally {
        other.destroy();
      }
    },
  };
}

/** The first differing word of two result arrays, as a message, or null. */
function firstWordDiff(want: Uint32Array, got: Uint32Array): string | null {
  if (want.length !== got.length) return `lengths ${want.length} (CPU) vs ${got.length} (GPU)`;
  const k = want.findIndex((v, j) => v !== got[j]);
  return k < 0 ? null : `word ${k}: cpu ${want[k].toString(16)} gpu ${got[k].toString(16)}`;
}

/** Every kernel the browser parity page checks, in run order. */
export const PARITY_KERNELS: readonly ParityKernel[] = [
  k8sDefault, k8sTimeSlicing, fgd, ...FGD_BASELINES.map(baseline),
  hami('hami-binpack'), hami('hami-spread'), hami('hami-topology'), volcanoKernel('volcano'), volcanoKernel('volcano-hami'),
];

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
      const tally: KernelTally = (report.kernels[kernel.name] = { clusters: 0, decisions: 0, placed: 0, resultWords: 0 });
      for (let i = 1; i <= count; i++) {
        const { want, got, placed, words } = await kernel.check(g, i, o.pods);
        tally.clusters++;
        tally.placed += placed;
        if (words) {
          tally.resultWords += words.want.length;
          const diff = firstWordDiff(words.want, words.got);
          if (diff && report.mismatches.length < 10) report.mismatches.push(`${kernel.name} world ${i}: result ${diff}`);
        }
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
