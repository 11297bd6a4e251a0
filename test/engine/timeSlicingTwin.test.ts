/**
 * k8s-timeslicing on the engine's CPU twin: the profile's kernel spec (filterScoreK8s with `replicas` per GPU and
 * the time-slicing allocator check) gives the plugin path's filter verdicts and totals for every (pod, node), and
 * whole cycles through FrameworkEvaluator equal FrameworkScheduler's (bindings with the replicas the profile's
 * allocator picks on the CPU, reasons, RNG state).
 */
import { describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { FrameworkEvaluator } from '../../src/engine/evaluator/frameworkEvaluator.ts';
import { kernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { INFEASIBLE, REASON_TEXT } from '../../src/engine/kernels/types.ts';
import { createScheduler } from '../../src/sched/profiles/index.ts';
import type { FrameworkScheduler } from '../../src/sched/runner.ts';
import { podOf, randomRequest } from '../parity/random.ts';
import { randomTimeSlicingCluster } from '../parity/randomTimeSlicing.ts';
import { useEvaluator } from '../../src/sched/cycle.ts';

describe('k8s-timeslicing kernel spec', () => {
  test('mirrors the profile: replicas, strategy, gpu weight, time-slicing allocator', () => {
    expect(kernelSpecFor('k8s-timeslicing')).toEqual({
      kind: 'k8s-fit', strategy: 'LeastAllocated', cpuWeight: 1, memWeight: 1, gpuWeight: 0, gpuReplicas: 4, fitWeight: 1, balancedWeight: 1, allocator: 'time-slicing',
    });
    expect(kernelSpecFor('k8s-timeslicing', { replicas: 7, strategy: 'MostAllocated', gpuWeight: 2 })).toMatchObject({ gpuReplicas: 7, strategy: 'MostAllocated', gpuWeight: 2 });
  });

  test.each([
    // GPU rows (used slots, healthy) of one node, replicas, pod's nvidia.com/gpu → fits?
    // 4 replicas, slots 4,3 → free replicas 0+1 = 1: one fits, two do not
    { slots: [4, 3], healthy: [true, true], replicas: 4, want: 1, fits: true },
    { slots: [4, 3], healthy: [true, true], replicas: 4, want: 2, fits: false },
    // an unhealthy GPU's replicas are not free (the filter's Σ slots + want ≤ GPUs·N passes: 0 + 2 ≤ 8)
    { slots: [0, 0], healthy: [false, true], replicas: 4, want: 4, fits: true },
    { slots: [0, 0], healthy: [false, true], replicas: 4, want: 5, fits: false },
    // two replicas of one pod may come from the same GPU: 1 GPU, 4 replicas, 3 free
    { slots: [1], healthy: [true], replicas: 4, want: 3, fits: true },
  ])('allocator check: slots $slots healthy $healthy ×$replicas, want $want → $fits', async ({ slots, healthy, replicas, want, fits }) => {
    const { ClusterState, buildNodes } = await import('../../src/model/cluster.ts');
    const { resolveCatalog } = await import('../../src/scenario/gpuCatalog.ts');
    const c = new ClusterState(buildNodes({ pools: [{ name: 'a', count: 1, gpuModel: 'T4', gpusPerNode: slots.length, cpuMilli: 8000, memMiB: 16384, topology: 'pcie', numaNodes: 1 }] }, resolveCatalog(undefined)), resolveCatalog(undefined));
    c.nodes[0].gpus.forEach((g, i) => {
      g.usedSlots = slots[i];
      g.usedMilli = Math.floor((1000 * slots[i]) / replicas);
      g.healthy = healthy[i];
    });
    c.nodes[0].usedGpuSlots = slots.reduce((a, b) => a + b, 0);
    c.touch(c.nodes[0]);
    const cpu = new CpuEngine();
    cpu.attach(c, kernelSpecFor('k8s-timeslicing', { replicas })!);
    const r = cpu.scoreAllSync([{ cpuMilli: 100, memMiB: 100, gpuCount: want, gpuMilli: 1000, gpuMemMiB: 0, gpuCores: 0, gpuModels: [] }])[0];
    expect(r < INFEASIBLE).toBe(fits);
    const fw = createScheduler('k8s-timeslicing', { replicas }, { scenario: {} as never, cluster: c, rng: new Rng(1) }) as FrameworkScheduler;
    const pod = podOf({ cpuMilli: 100, memMiB: 100, gpuCount: want, gpuMilli: 1000, gpuMemMiB: 0, gpuCores: 0, gpuModels: [] });
    expect('gpus' in fw.filterNode(pod, c.nodes[0], { cluster: c, rng: new Rng(1), nowS: 0 })).toBe(fits);
  });
});

describe('k8s-timeslicing: twin = plugin path', () => {
  test('filter verdicts (reason bits) and totals for every (pod, node) (200 random clusters)', () => {
    let feasible = 0;
    let gpuRejects = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const rng = new Rng(seed);
      const replicas = 1 + rng.int(6);
      const options = { replicas, strategy: seed % 2 ? 'LeastAllocated' : 'MostAllocated', gpuWeight: seed % 3 };
      const c = randomTimeSlicingCluster(rng, 1 + rng.int(40), replicas);
      const fw = createScheduler('k8s-timeslicing', options, { scenario: {} as never, cluster: c, rng }) as FrameworkScheduler;
      const cpu = new CpuEngine();
      cpu.attach(c, kernelSpecFor('k8s-timeslicing', options)!);
      const pods = Array.from({ length: 8 }, () => podOf(randomRequest(rng, c.nodes[0].cpuMilli, c.nodes[0].memMiB)));
      const got = cpu.scoreAllSync(pods.map((p) => p.request));
      const ctx = { cluster: c, rng: new Rng(seed), nowS: 0 };
      pods.forEach((pod, p) => {
        c.nodes.forEach((node, i) => {
          const f = fw.filterNode(pod, node, ctx);
          let want: number;
          if ('status' in f) {
            want = INFEASIBLE;
            for (const reason of f.status.reasons) want |= 1 << REASON_TEXT.indexOf(reason);
            want >>>= 0;
            if (f.status.reasons.includes('Insufficient nvidia.com/gpu')) gpuRejects++;
          } else {
            want = fw.scoresFor(pod).reduce((s, { plugin, weight }) => s + weight * plugin.score(pod, node, ctx), 0);
            feasible++;
          }
          expect(got[p * c.nodes.length + i], `seed ${seed} pod ${p} node ${i}`).toBe(want);
        });
      });
    }
    expect(feasible).toBeGreaterThan(3000);
    expect(gpuRejects).toBeGreaterThan(300);
  });

  test('whole cycles through FrameworkEvaluator (CPU twin) = FrameworkScheduler (40 seeds)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const options = { replicas: 1 + (seed % 5), strategy: seed % 2 ? 'LeastAllocated' : 'MostAllocated', gpuWeight: seed % 3, percentageOfNodesToScore: seed % 4 === 0 ? 40 : 0 };
      const run = (mode: 'plugins' | 'engine'): string[] => {
        const rng = new Rng(seed);
        const c = randomTimeSlicingCluster(rng, 20 + rng.int(200), options.replicas);
        const pods = Array.from({ length: 40 }, (_, i) => podOf(randomRequest(rng, 8000, 30000), i % 4));
        const fw = createScheduler('k8s-timeslicing', options, { scenario: {} as never, cluster: c, rng }) as FrameworkScheduler;
        const ctx = { cluster: c, rng: new Rng(seed * 31), nowS: 0 };
        // the evaluator only in engine mode: the plugin run is the reference
        const s = mode === 'engine' ? useEvaluator(fw, new FrameworkEvaluator(kernelSpecFor('k8s-timeslicing', options)!, new CpuEngine())) : fw;
        const out: string[] = [];
        for (let cycle = 0; cycle < 3; cycle++) {
          const queue = pods.filter((p) => p.binding === null);
          const r = s.cycle(queue, ctx);
          out.push(...r.bound.map((p) => `${pods.indexOf(p)}@${p.binding!.nodeId}:${p.binding!.gpus.map((g) => `${g.gpu}x${g.slots}`).join(',')}`));
          out.push(...r.failed.map((p) => `${pods.indexOf(p)}!${p.lastReason}`));
          for (const p of r.bound.filter((_, i) => i % 3 === 0)) c.unbind(p);
        }
        out.push(`rng:${ctx.rng.nextU32()}`);
        return out;
      };
      expect(run('engine'), `seed ${seed}`).toEqual(run('plugins'));
    }
  });
});
