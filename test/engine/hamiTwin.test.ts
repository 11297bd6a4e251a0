/**
 * The HAMi twin (src/engine/cpu/filterScoreHami.ts, softFloat32.ts, cpu/selectHami.ts) against HamiScheduler's
 * plugin path (src/sched/hami/): the emulated float32 operations against Math.fround, packed results against kube's
 * filters + HAMi's scoreNode for every (pod, node) of random worlds with HAMi slices booked, and whole cycles
 * through HamiEvaluator on the CPU twin against HamiScheduler.cycle (bindings, cards, reasons, RNG state).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { CpuHamiEngine } from '../../src/engine/cpu/filterScoreHami.ts';
import { f32Add, f32Bits, f32Div, f32FromU32, f32Mul10, f32Value, hamiNodeScoreBits } from '../../src/engine/cpu/softFloat32.ts';
import { HamiEvaluator } from '../../src/engine/evaluator/hamiEvaluator.ts';
import { HAMI_REASON_TEXT, HAMI_UNFIT, SPREAD_KEY_BASE, type HamiKernelSpec } from '../../src/engine/kernels/hami.ts';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { INFEASIBLE, REASON_TEXT } from '../../src/engine/kernels/types.ts';
import type { Pod } from '../../src/model/pod.ts';
import type { SchedContext } from '../../src/sched/framework.ts';
import type { HamiScheduler } from '../../src/sched/hami/scheduler.ts';
import { nodeScore } from '../../src/sched/hami/score.ts';
import { createScheduler } from '../../src/sched/profiles/index.ts';
import { ClusterState, buildNodes } from '../../src/model/cluster.ts';
import { GPU_CATALOG } from '../../src/scenario/gpuCatalog.ts';
import { podOf } from '../parity/random.ts';
import { randomHamiAnnotations, randomHamiRequest, randomHamiWorld } from '../parity/randomHami.ts';
import { reduceHami } from '../../src/engine/cpu/selectHami.ts';
import { hamiKernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { useEvaluator } from '../../src/sched/cycle.ts';

const f = Math.fround;

/** The packed result HamiScheduler's plugin path implies for one (pod, node). */
function pluginHamiResult(s: HamiScheduler, spec: HamiKernelSpec, pod: Pod, nodeIndex: number, ctx: SchedContext): number {
  const node = ctx.cluster.nodes[nodeIndex];
  const k = s.kube.filterNode(pod, node, ctx);
  if ('status' in k) {
    let bits = 0;
    for (const r of k.status.reasons) bits |= 1 << REASON_TEXT.indexOf(r);
    return (INFEASIBLE | bits) >>> 0;
  }
  const placed = s.placeOn(pod, node, ctx);
  if ('status' in placed) {
    let bits = 0;
    for (const w of placed.status.reasons) {
      const b = HAMI_REASON_TEXT.indexOf(w);
      if (b < 0) throw new Error(`unknown HAMi reason ${w}`);
      bits |= 1 << b;
    }
    return (HAMI_UNFIT | bits) >>> 0;
  }
  const bits = f32Bits(placed.score);
  return spec.spread ? SPREAD_KEY_BASE - bits : bits;
}

describe('float32 emulation (softFloat32.ts) = Math.fround', () => {
  test('boundary table: ties to even, carries into the next binade, sticky bits', () => {
    const cases: [string, number, number][] = [
      // 2^24 + 1 lies halfway between 2^24 and 2^24 + 2: ties to the even 2^24
      ['u32 2^24+1', f32FromU32(2 ** 24 + 1), f32Bits(2 ** 24)],
      // 2^24 + 3: halfway between 2^24+2 (odd mantissa) and 2^24+4 (even) → 2^24+4
      ['u32 2^24+3', f32FromU32(2 ** 24 + 3), f32Bits(2 ** 24 + 4)],
      // 2^32 − 1 rounds up into 2^32
      ['u32 2^32-1', f32FromU32(2 ** 32 - 1), f32Bits(2 ** 32)],
      // 1 + 2^−24: exact tie → 1; 1 + 2^−24 + 2^−40 is above the tie → 1 + 2^−23 (the sticky bit decides)
      ['add tie', f32Add(f32Bits(1), f32Bits(2 ** -24)), f32Bits(1)],
      ['add sticky', f32Add(f32Add(f32Bits(2 ** -24), f32Bits(2 ** -40)), f32Bits(1)), f32Bits(1 + 2 ** -23)],
      // a tiny addend far below (exponents 60 apart) only sets the sticky bit
      ['add far', f32Add(f32Bits(3), f32Bits(2 ** -60)), f32Bits(3)],
      // 1/3 and 2/3 of a card: RN(1/3) + RN(2/3) = 1 exactly in float32
      ['thirds', f32Add(f32Div(f32Bits(1), f32Bits(3)), f32Div(f32Bits(2), f32Bits(3))), f32Bits(f(f(1 / 3) + f(2 / 3)))],
      // 10·RN(0.1) is not 1 in float64, but rounds to 1 in float32
      ['mul10', f32Mul10(f32Bits(f(0.1))), f32Bits(f(10 * f(0.1)))],
    ];
    for (const [label, got, want] of cases) expect(f32Value(got), label).toBe(f32Value(want));
  });

  test('u32 → f32, division, addition, ×10 (fast-check)', () => {
    const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
    const pos = fc.integer({ min: 1, max: 2 ** 32 - 1 });
    fc.assert(fc.property(u32, (x) => f32FromU32(x) === f32Bits(f(x))), { numRuns: 20000 });
    fc.assert(fc.property(u32, pos, (a, b) => f32Div(f32FromU32(a), f32FromU32(b)) === f32Bits(f(f(a) / f(b)))), { numRuns: 20000 });
    const val = fc.tuple(fc.integer({ min: 1, max: 2 ** 24 - 1 }), fc.integer({ min: -60, max: 40 })).map(([m, e]) => f(m * 2 ** e));
    fc.assert(fc.property(val, val, (a, b) => f32Add(f32Bits(a), f32Bits(b)) === f32Bits(f(a + b))), { numRuns: 20000 });
    fc.assert(fc.property(val, (a) => f32Mul10(f32Bits(a)) === f32Bits(f(10 * a))), { numRuns: 20000 });
  });

  test('node score = score.ts nodeScore for random sums (fast-check)', () => {
    const small = fc.integer({ min: 0, max: 40 });
    const big = fc.integer({ min: 0, max: 2 ** 31 - 1 });
    fc.assert(
      fc.property(small, fc.integer({ min: 1, max: 400 }), fc.oneof(small, big), fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.oneof(small, big), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (used, split, uc, c, um, m) => {
        const gpu = { id: 'g', index: 0, type: 'NVIDIA-X', mode: 'hami-core', splitCount: split, memTotalMiB: m, coresTotal: c, usedSlots: used, usedMemMiB: um, usedCores: uc, numa: 0, healthy: true };
        return f32Value(hamiNodeScoreBits(used, split, uc, c, um, m)) === nodeScore([gpu]);
      }),
      { numRuns: 20000 },
    );
  });
});

describe('HAMi kernel specs', () => {
  test('each HAMi profile has a spec; policies and knobs as data', () => {
    expect(hamiKernelSpecFor('hami-binpack')).toEqual({ kind: 'hami', spread: false, mutex: false, splitCount: 10, memoryScaling: 1, request: { memoryFactor: 1, defaultMemMiB: 0, defaultCores: 0 } });
    expect(hamiKernelSpecFor('hami-spread')?.spread).toBe(true);
    expect(hamiKernelSpecFor('hami-topology')?.spread).toBe(false);
    expect(hamiKernelSpecFor('hami-binpack', { gpuPolicy: 'mutex', splitCount: 4, memoryScaling: 1.5 })).toMatchObject({ mutex: true, splitCount: 4, memoryScaling: 1.5 });
    expect(hamiKernelSpecFor('k8s-default')).toBeNull();
  });

  test('reduceHami: window cut on kube-feasibility, HAMi reasons inside it, highest key and its tie set in scan order', () => {
    // 6 nodes from start 5: order 5,0,1,2,3,4; want 3 kube-feasible → 5 (HAMi-unfit: bits 0 and 2), 0 (key 7),
    // 1 (kube-rejected: cpu), 2 (key 7) → cut after node 2: processed 4; node 4 (key 7) lies outside the window
    const r = [7, 0x80000002, 7, 3, 7, HAMI_UNFIT | 0b101];
    const d = reduceHami(6, { start: 5, want: 3 }, (i) => r[i]);
    expect(d).toMatchObject({ processed: 4, feasible: 3, fit: 2, maxTotal: 7, tied: [0, 2], plateaus: [] });
    expect(d.rejected).toEqual([0, 1, 0, 0, 0]);
    expect(d.hamiRejected.slice(0, 3)).toEqual([1, 0, 1]);
  });
});

describe('HAMi twin equals HamiScheduler', () => {
  test('packed results for every (pod, node) of 300 random worlds', () => {
    let total = 0;
    let fits = 0;
    let unfit = 0;
    const words = new Set<string>();
    for (let seed = 1; seed <= 300; seed++) {
      const w = randomHamiWorld(seed, 1 + (seed % 24));
      const spec = hamiKernelSpecFor(w.profile, w.options)!;
      const rng = new Rng(seed * 13);
      const pods = Array.from({ length: 12 }, () => podOf(randomHamiRequest(rng, 96000, 786432))).filter((p) => w.scheduler.request(p) !== null);
      const engine = new CpuHamiEngine();
      engine.attach(w.cluster, spec);
      const got = engine.scoreAllSync(pods.map((p) => p.request));
      const ctx = { cluster: w.cluster, rng: new Rng(1), nowS: 0 };
      const n = w.cluster.nodes.length;
      for (let p = 0; p < pods.length; p++) {
        for (let i = 0; i < n; i++) {
          const want = pluginHamiResult(w.scheduler, spec, pods[p], i, ctx);
          if (got[p * n + i] !== want) expect.fail(`seed ${seed} (${w.profile} ${JSON.stringify(w.options)}), pod ${JSON.stringify(pods[p].request)}, node ${i}: twin ${got[p * n + i].toString(16)} plugin ${want.toString(16)}`);
          total++;
          if (want < HAMI_UNFIT) fits++;
          else if (want < INFEASIBLE) {
            unfit++;
            for (let b = 0; b < HAMI_REASON_TEXT.length; b++) if ((want >>> b) & 1) words.add(HAMI_REASON_TEXT[b]);
          }
        }
      }
    }
    expect(total).toBeGreaterThan(20_000);
    expect(fits).toBeGreaterThan(2_000);
    expect(unfit).toBeGreaterThan(2_000);
    // every reason a plain pod can meet occurs (type, NUMA, uuid and device-type words need annotations)
    expect([...words].sort()).toEqual(['AllocatedCardsInsufficientRequest', 'CardComputeUnitsExhausted', 'CardCordoned', 'CardInsufficientCore', 'CardInsufficientMemory', 'CardNotHealth', 'CardTimeSlicingExhausted', 'ExclusiveDeviceAllocateConflict', 'NodeInsufficientDevice']);
  });

  test('float32 boundaries: usages with equal exact scores that float32 splits or ties, decided as HAMi decides', () => {
    // One card per node, split 6, compute 100, memory 7 MiB; usage (slots u, cores c, MiB m). Exactly, the score is
    // 10·(u/6 + c/100 + m/7); float32 rounds each quotient and both sums. Group all usages by their exact score:
    // groups whose float32 keys differ are pairs a rational formula would call ties (HAMi does not draw there),
    // groups with repeated keys are real ties (HAMi draws). Both occur; the twin keys every usage as score.ts does.
    const groups = new Map<string, { row: number[]; key: number }[]>();
    const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
    const gpu = (r: number[]) => ({ id: 'g', index: 0, type: 'NVIDIA-X', mode: 'hami-core', splitCount: 6, memTotalMiB: 7, coresTotal: 100, usedSlots: r[0], usedMemMiB: r[2], usedCores: r[1], numa: 0, healthy: true });
    for (let u = 0; u <= 5; u++) {
      for (let c = 0; c <= 99; c++) {
        for (let m = 0; m <= 6; m++) {
          const num = u * 700 + c * 42 + m * 600;
          const g = gcd(num, 4200) || 1;
          const key = hamiNodeScoreBits(u, 6, c, 100, m, 7);
          expect(f32Value(key)).toBe(nodeScore([gpu([u, c, m])]));
          const k = `${num / g}/${4200 / g}`;
          groups.set(k, [...(groups.get(k) ?? []), { row: [u, c, m], key }]);
        }
      }
    }
    const splitPairs: number[][][] = [];
    let ties = 0;
    for (const g of groups.values()) {
      const keys = new Set(g.map((x) => x.key));
      if (keys.size > 1) {
        const a = g[0];
        const b = g.find((x) => x.key !== a.key)!;
        splitPairs.push([a.row, b.row]);
      }
      if (keys.size < g.length) ties++;
    }
    expect(splitPairs.length).toBeGreaterThan(100);
    expect(ties).toBeGreaterThan(100);
    // Directed worlds: two such nodes (and a third equal to the first); the pod fits all. Twin cycles = HamiScheduler.
    for (const [i, [a, b]] of splitPairs.slice(0, 60).entries()) {
      const run = (mode: 'plugins' | 'twin') => {
        const pools = [0, 1, 2].map((k) => ({ name: `n${k}`, count: 1, gpuModel: 'T4', gpusPerNode: 1, cpuMilli: 8000, memMiB: 8192, topology: 'pcie' as const, numaNodes: 1 }));
        const cluster = new ClusterState(buildNodes({ pools }, { ...GPU_CATALOG }), { ...GPU_CATALOG });
        [a, b, a].forEach((r, k) => {
          const g = cluster.nodes[k].gpus[0];
          g.memMiB = 7;
          g.usedSlots = r[0];
          g.usedCores = r[1];
          g.usedMemMiB = r[2];
          cluster.touch(cluster.nodes[k]);
        });
        const options = { splitCount: 6, nodePolicy: i % 2 ? 'spread' : 'binpack' };
        const fresh = createScheduler('hami-binpack', options, { scenario: {} as never, cluster, rng: new Rng(1) }) as HamiScheduler;
        const s = mode === 'twin' ? useEvaluator(fresh, new HamiEvaluator(hamiKernelSpecFor('hami-binpack', options)!, new CpuEngine())) : fresh;
        const ctx = { cluster, rng: new Rng(i), nowS: 0 };
        const pods = [0, 1].map(() => podOf({ cpuMilli: 100, memMiB: 100, gpuCount: 1, gpuMilli: 1000, gpuMemMiB: 1, gpuCores: 0, gpuModels: [] }));
        const r = s.cycle(pods, ctx);
        return [...r.bound.map((p) => p.binding!.nodeId), ...r.failed.map((p) => p.lastReason), ctx.rng.nextU32()];
      };
      expect(run('twin'), `usages ${JSON.stringify([a, b])}`).toEqual(run('plugins'));
    }
  });
});

describe('cycles through HamiEvaluator on the CPU twin equal HamiScheduler', () => {
  test('150 worlds × 3 cycles: bindings, cards, reasons, RNG state (annotated and non-GPU pods included)', () => {
    let engineDecisions = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const run = (mode: 'plugins' | 'twin') => {
        const w = randomHamiWorld(seed, 2 + (seed % 40), undefined, seed % 5 === 0 ? 0 : undefined);
        const rng = new Rng(seed * 31);
        const pods = Array.from({ length: 30 }, (_, i) => {
          const p = podOf(randomHamiRequest(rng, 64000, 400000), i % 3);
          if (rng.int(6) === 0) p.annotations = randomHamiAnnotations(rng, w.cluster);
          return p;
        });
        const ctx = { cluster: w.cluster, rng: new Rng(seed * 17), nowS: 0 };
        // a fresh scheduler for the run (the world's own one booked the slices and moved its start index)
        const fresh = createScheduler(w.profile, w.options, { scenario: {} as never, cluster: w.cluster, rng }) as HamiScheduler;
        const s = mode === 'twin' ? useEvaluator(fresh, new HamiEvaluator(hamiKernelSpecFor(w.profile, w.options)!, new CpuEngine())) : fresh;
        const out: string[] = [];
        for (let cycle = 0; cycle < 3; cycle++) {
          const queue = pods.filter((p) => p.binding === null);
          const r = s.cycle(queue, ctx);
          out.push(...r.bound.map((p) => `${pods.indexOf(p)}@${p.binding!.nodeId}:${p.binding!.gpus.map((g) => `${g.gpu}/${g.memMiB}/${g.cores}/${g.milli}`).join(',')}`));
          out.push(...r.failed.map((p) => `${pods.indexOf(p)}!${p.lastReason}`));
          for (const p of r.bound.filter((_, i) => i % 3 === 0)) w.cluster.unbind(p);
        }
        out.push(`rng:${ctx.rng.nextU32()}`, `start:${fresh.startNodeIndex}`);
        if (s.evaluator) engineDecisions += (s.evaluator as HamiEvaluator).engineDecisions;
        return out;
      };
      expect(run('twin'), `seed ${seed}`).toEqual(run('plugins'));
    }
    expect(engineDecisions).toBeGreaterThan(1_500);
  });
});
