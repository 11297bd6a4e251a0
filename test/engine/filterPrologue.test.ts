/**
 * The shared kube filter prologue of the CPU twins (src/engine/cpu/filterPrologue.ts) on hand-packed rows. The
 * WGSL copy (shaders/lib/filterPrologue.wgsl) is checked through every kernel's parity suite in test/parity.
 */
import { describe, expect, test } from 'vitest';
import { fitReasons, gpuBaseOf, kubeFilter, modelAllowed, nodeRowOf, scanShares, type ShareScan } from '../../src/engine/cpu/filterPrologue.ts';
import { GPU_WORDS, NODE_WORDS, POD_WORDS } from '../../src/engine/kernels/state.ts';
import { INFEASIBLE } from '../../src/engine/kernels/types.ts';

interface NodeIn { cpu: number; mem: number; maxPods: number; podCount: number; usedCpu: number; usedMem: number; gpuOffset?: number; model?: number }
interface PodIn { cpu: number; mem: number; gpus: number; models?: number[]; nodeBase?: number; gpuBase?: number }

/** One node row in a buffer of `at + 1` rows (state.ts layout). */
function nodeRows(n: NodeIn, at = 0): Uint32Array {
  const a = new Uint32Array((at + 1) * NODE_WORDS);
  a.set([n.cpu, n.mem, n.maxPods, n.podCount, n.usedCpu, n.usedMem, 0, 0, n.gpuOffset ?? 0, 0, n.model ?? 0, 0], at * NODE_WORDS);
  return a;
}

/** One POD_WORDS pod row (state.ts layout); `models` are the allowed model indices. */
function podRow(p: PodIn): Uint32Array {
  const a = new Uint32Array(POD_WORDS);
  let lo = 0;
  let hi = 0;
  for (const m of p.models ?? []) {
    if (m < 32) lo |= 1 << m;
    else hi |= 1 << (m - 32);
  }
  a.set([p.cpu, p.mem, p.gpus, p.models ? 1 : 0, lo >>> 0, hi >>> 0, 0, 0, 0, p.nodeBase ?? 0, p.gpuBase ?? 0, 0]);
  return a;
}

const free: NodeIn = { cpu: 4000, mem: 8192, maxPods: 10, podCount: 3, usedCpu: 1000, usedMem: 2048 };

describe('fitReasons and kubeFilter', () => {
  test.each([
    // 1000 + 3000 = 4000 <= 4000 and 2048 + 6144 = 8192 <= 8192: fits exactly, nothing to report
    { name: 'exact fit', n: free, p: { cpu: 3000, mem: 6144, gpus: 0 }, short: false, fit: 0, want: 0 },
    // 1000 + 3001 > 4000 and 2048 + 6145 > 8192: both reasons at once (fit.go collects every reason)
    { name: 'cpu and memory', n: free, p: { cpu: 3001, mem: 6145, gpus: 0 }, short: false, fit: 2 | 4, want: (INFEASIBLE | 2 | 4) >>> 0 },
    // podCount 10 + 1 > maxPods 10, and the caller's GPU slot check failed too: 1 | 8
    { name: 'pods and GPU slots', n: { ...free, podCount: 10 }, p: { cpu: 0, mem: 0, gpus: 1 }, short: true, fit: 1, want: (INFEASIBLE | 1 | 8) >>> 0 },
    // a zero request never fails its resource, even on a node whose cpu is fully used
    { name: 'zero request on a full node', n: { ...free, usedCpu: 4000 }, p: { cpu: 0, mem: 1, gpus: 0 }, short: false, fit: 0, want: 0 },
    // model 3 not in {1, 2}: NodeAffinity (16), checked only once NodeResourcesFit passed
    { name: 'model not allowed', n: { ...free, model: 3 }, p: { cpu: 1, mem: 1, gpus: 1, models: [1, 2] }, short: false, fit: 0, want: (INFEASIBLE | 16) >>> 0 },
    // the same pod on a node that also lacks memory reports only NodeResourcesFit's reason
    { name: 'fit reasons hide affinity', n: { ...free, model: 3 }, p: { cpu: 1, mem: 9000, gpus: 1, models: [1, 2] }, short: false, fit: 4, want: (INFEASIBLE | 4) >>> 0 },
    // model 40 lives in the high mask word (bit 8)
    { name: 'model in the high word', n: { ...free, model: 40 }, p: { cpu: 1, mem: 1, gpus: 2, models: [40] }, short: false, fit: 0, want: 0 },
    // a CPU pod's model list does not apply (the kernels check affinity for GPU pods only)
    { name: 'CPU pod ignores models', n: { ...free, model: 3 }, p: { cpu: 1, mem: 1, gpus: 0, models: [1] }, short: false, fit: 0, want: 0 },
  ])('$name', ({ n, p, short, fit, want }) => {
    const nodes = nodeRows(n);
    const pods = podRow(p);
    expect(fitReasons(nodes, 0, pods, 0)).toBe(fit);
    expect(kubeFilter(nodes, 0, pods, 0, short)).toBe(want);
  });

  test('modelAllowed: no restriction, low word, high word', () => {
    const nodes = nodeRows({ ...free, model: 33 });
    expect(modelAllowed(nodes, 0, podRow({ cpu: 0, mem: 0, gpus: 1 }), 0)).toBe(true);
    expect(modelAllowed(nodes, 0, podRow({ cpu: 0, mem: 0, gpus: 1, models: [1] }), 0)).toBe(false);
    expect(modelAllowed(nodes, 0, podRow({ cpu: 0, mem: 0, gpus: 1, models: [33] }), 0)).toBe(true);
  });
});

describe('row offsets and the GPU-share scan', () => {
  test('a replica pod reads its own node and GPU rows', () => {
    // nodeBase 2 + local 1 = node row 3 → word 36; gpuBase 5 + the node's gpuOffset 4 = GPU row 9
    const nodes = nodeRows({ ...free, gpuOffset: 4 }, 3);
    const pods = podRow({ cpu: 0, mem: 0, gpus: 0, nodeBase: 2, gpuBase: 5 });
    const o = nodeRowOf(pods, 0, 1);
    expect(o).toBe(3 * NODE_WORDS);
    expect(gpuBaseOf(pods, 0, nodes, o)).toBe(9);
  });

  test('free shares, used slots, fitting GPUs and free milli-GPU', () => {
    // GPU rows from 1: used 300 (2 slots), used 0 but unhealthy (counts 0 free), used 1000 (1 slot), used 550 (1 slot)
    const rows: [number, number, number][] = [[300, 2, 1], [0, 0, 0], [1000, 1, 1], [550, 1, 1]];
    const gpus = new Uint32Array((rows.length + 1) * GPU_WORDS);
    rows.forEach(([used, slots, healthy], k) => gpus.set([used, 0, 0, slots, 0, 0, 0, healthy], (k + 1) * GPU_WORDS));
    const left = new Int32Array(8);
    const out: ShareScan = { slots: -1, fitting: -1, freeMilli: -1 };
    // free 700, 0, 0, 450; a 450-milli pod fits on the first and the last; slots 2 + 0 + 1 + 1 = 4; free 1150
    expect(scanShares(gpus, 1, 4, 450, left, out)).toEqual({ slots: 4, fitting: 2, freeMilli: 1150 });
    expect([...left.subarray(0, 4)]).toEqual([700, 0, 0, 450]);
    // a 451-milli pod fits only on the first
    expect(scanShares(gpus, 1, 4, 451, left, out).fitting).toBe(1);
  });
});
