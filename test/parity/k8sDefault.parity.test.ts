/**
 * GPU ↔ CPU parity for the k8s-default kernels, through Dawn (SwiftShader here): identical packed candidate
 * results, identical decision records, and whole scheduling cycles identical to FrameworkScheduler.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { FrameworkEvaluator } from '../../src/engine/evaluator/frameworkEvaluator.ts';
import { kernelSpecFor } from '../../src/engine/kernels/specs.ts';
import type { K8sKernelSpec } from '../../src/engine/kernels/types.ts';
import { createScheduler } from '../../src/sched/profiles/index.ts';
import type { FrameworkScheduler } from '../../src/sched/runner.ts';
import { acquireParityGpu, type ParityGpu } from './setup.ts';
import { randomCluster, randomRequest, replicaOf } from './random.ts';
import { useEvaluator } from '../../src/sched/cycle.ts';

let gpu: ParityGpu | null = null;
beforeAll(async () => {
  gpu = await acquireParityGpu();
});
afterAll(() => gpu?.engine.destroy());

const SPECS: K8sKernelSpec[] = [
  kernelSpecFor('k8s-default') as K8sKernelSpec,
  kernelSpecFor('k8s-default', { strategy: 'MostAllocated', gpuWeight: 2 }) as K8sKernelSpec,
  { kind: 'k8s-fit', strategy: 'LeastAllocated', cpuWeight: 3, memWeight: 1, gpuWeight: 0, gpuReplicas: 4, fitWeight: 2, balancedWeight: 5 },
];

describe('k8s-default parity (WebGPU engine vs CPU engine and FrameworkScheduler)', () => {
  test('packed filter+score results are identical for every candidate (600 clusters)', async (t) => {
    if (!gpu) return t.skip();
    const g = gpu!.engine;
    let candidates = 0;
    let feasible = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const rng = new Rng(seed);
      const c = randomCluster(rng, 1 + rng.int(seed % 10 === 0 ? 400 : 40));
      const spec = SPECS[seed % SPECS.length];
      const cpu = new CpuEngine();
      cpu.attach(c, spec);
      g.attach(c, spec);
      const maxCpu = c.nodes[0].cpuMilli;
      const maxMem = c.nodes[0].memMiB;
      const pods = Array.from({ length: 12 }, () => randomRequest(rng, maxCpu, maxMem));
      const want = cpu.scoreAllSync(pods);
      const got = await g.scoreAll(pods);
      if (!want.every((v, i) => v === got[i])) {
        const i = want.findIndex((v, k) => v !== got[k]);
        expect.fail(`seed ${seed}: candidate ${i} (pod ${Math.floor(i / c.nodes.length)}, node ${i % c.nodes.length}): cpu ${want[i].toString(16)} gpu ${got[i].toString(16)}`);
      }
      candidates += want.length;
      feasible += want.filter((v) => v < 0x80000000).length;
    }
    expect(candidates).toBeGreaterThan(50_000);
    expect(feasible).toBeGreaterThan(5_000);
  });

  test('BalancedAllocation matches float64 at every rounding boundary (small capacities, all fractions)', async (t) => {
    if (!gpu) return t.skip();
    // balanced-only spec: the packed total is the BalancedAllocation score itself
    const spec: K8sKernelSpec = { kind: 'k8s-fit', strategy: 'LeastAllocated', cpuWeight: 1, memWeight: 1, gpuWeight: 0, gpuReplicas: 1, fitWeight: 0, balancedWeight: 1 };
    const g = gpu!.engine;
    let boundary = 0;
    for (let cap = 1; cap <= 24; cap++) {
      // nodes: cpu capacity `cap`, memory 1..24; pods: every cpu/mem request up to the capacities
      const pools = Array.from({ length: 24 }, (_, m) => ({ name: `m${m + 1}`, count: 1, gpuModel: 'T4', gpusPerNode: 0, cpuMilli: cap, memMiB: m + 1, topology: 'pcie' as const, numaNodes: 1 }));
      const { ClusterState, buildNodes } = await import('../../src/model/cluster.ts');
      const { resolveCatalog } = await import('../../src/scenario/gpuCatalog.ts');
      const c = new ClusterState(buildNodes({ pools }, resolveCatalog(undefined)), resolveCatalog(undefined));
      const pods = [];
      for (let a = 0; a <= cap; a++) for (let b = 0; b <= 24; b++) pods.push({ cpuMilli: a, memMiB: b, gpuCount: 0, gpuMilli: 0, gpuMemMiB: 0, gpuCores: 0, gpuModels: [] });
      const cpu = new CpuEngine();
      cpu.attach(c, spec);
      g.attach(c, spec);
      const want = cpu.scoreAllSync(pods);
      const got = await g.scoreAll(pods);
      expect([...got]).toEqual([...want]);
      // count cases where float64 differs from the exact rational result (the reason for soft-double in WGSL)
      for (let p = 0; p < pods.length; p++) {
        for (let m = 0; m < 24; m++) {
          const v = want[p * 24 + m];
          if (v >= 0x80000000 || (pods[p].cpuMilli === 0 && pods[p].memMiB === 0)) continue;
          const b = cap;
          const d = m + 1;
          const exact = 100 - Math.ceil((50 * Math.abs(pods[p].cpuMilli * d - pods[p].memMiB * b)) / (b * d));
          if (exact !== v) boundary++;
        }
      }
    }
    expect(boundary).toBeGreaterThan(10);
  });

  test('decision records are identical (500 clusters, random windows)', async (t) => {
    if (!gpu) return t.skip();
    const g = gpu!.engine;
    for (let seed = 1; seed <= 500; seed++) {
      const rng = new Rng(seed * 7919);
      const n = 1 + rng.int(seed % 50 === 0 ? 2000 : 300);
      const c = randomCluster(rng, n);
      const spec = SPECS[seed % SPECS.length];
      const cpu = new CpuEngine();
      cpu.attach(c, spec);
      g.attach(c, spec);
      const pods = Array.from({ length: 8 }, () => randomRequest(rng, c.nodes[0].cpuMilli, c.nodes[0].memMiB));
      const windows = pods.map(() => ({ start: rng.int(n), want: 1 + rng.int(n) }));
      const got = await g.evaluate(pods, windows);
      expect(got, `seed ${seed}`).toEqual(cpu.evaluateSync(pods, windows));
    }
  }, 180_000);

  test('whole scheduling cycles on the GPU engine equal FrameworkScheduler (bindings, reasons, RNG)', async (t) => {
    if (!gpu) return t.skip();
    let spreadOnGpu = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const options = { strategy: seed % 2 ? 'LeastAllocated' : 'MostAllocated', gpuWeight: seed % 3, percentageOfNodesToScore: seed % 4 === 0 ? 40 : 0 };
      const run = async (mode: 'plugins' | 'gpu') => {
        const rng = new Rng(seed);
        const c = randomCluster(rng, 20 + rng.int(280));
        // replicas of two services among them (PodTopologySpread: the engine's spread pass scores those)
        const pods = Array.from({ length: 40 }, (_, i) => replicaOf(randomRequest(rng, 8000, 30000), i % 4, i % 3 === 0 ? i % 2 : -1));
        const fw = createScheduler('k8s-default', options, { scenario: {} as never, cluster: c, rng }) as FrameworkScheduler;
        const ctx = { cluster: c, rng: new Rng(seed * 31), nowS: 0 };
        const ev = new FrameworkEvaluator(kernelSpecFor('k8s-default', options)!, gpu!.engine);
        const s = mode === 'gpu' ? useEvaluator(fw, ev) : fw;
        const out: string[] = [];
        for (let cycle = 0; cycle < 3; cycle++) {
          const queue = pods.filter((p) => p.binding === null);
          const r = mode === 'gpu' ? await s.cycleAsync!(queue, ctx) : fw.cycle(queue, ctx);
          out.push(...r.bound.map((p) => `${pods.indexOf(p)}@${p.binding!.nodeId}:${p.binding!.gpus.map((g) => g.gpu).join(',')}`));
          out.push(...r.failed.map((p) => `${pods.indexOf(p)}!${p.lastReason}`));
          for (const p of r.bound.filter((_, i) => i % 3 === 0)) c.unbind(p);
        }
        out.push(`rng:${ctx.rng.nextU32()}`);
        if (mode === 'gpu') {
          // the owned replicas ran on the GPU's spread pass, none on the plugin path
          expect(ev.status.engine, ev.status.detail).toBe('gpu');
          expect(ev.spreadAttempts.pluginPath, ev.spreadAttempts.reason).toBe(0);
          spreadOnGpu += ev.spreadAttempts.engine;
        }
        return out;
      };
      expect(await run('gpu'), `seed ${seed}`).toEqual(await run('plugins'));
    }
    expect(spreadOnGpu).toBeGreaterThan(100);
  }, 180_000);
});
