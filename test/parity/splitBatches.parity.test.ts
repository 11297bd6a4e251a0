/**
 * Batches larger than one storage binding (GpuEngine's pod chunks and node tiles), through Dawn (SwiftShader
 * here): an engine created with an artificially small result limit (4,096 bytes = 1,024 candidates per submit)
 * splits small inputs, and its decisions and packed results must equal the CPU twin's, which never splits.
 *
 * With 4,096 bytes: a k8s record is 16 + 201 (histogram) + ⌈n/32⌉ words ≈ 900 bytes, so clusters of ≤ 1,024
 * nodes go in pod chunks of ⌊4096 / max(4n, record)⌋ pods (4 pods at n = 50, 3 at n = 300), and clusters of more
 * than 1,024 nodes are scanned in node tiles of 1,024 nodes per pod, in the window's rotated order.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { GpuEngine } from '../../src/engine/gpu/gpuEngine.ts';
import { kernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { nodeGpuProvider, useSwiftShaderIfUnset } from '../../src/engine/wiring/nodeGpu.ts';
import type { K8sKernelSpec, KernelSpec } from '../../src/engine/kernels/types.ts';
import { podOfTrace, randomTracePod } from './randomFgd.ts';
import { randomBaselineWorld } from './randomBaselines.ts';
import { randomCluster, randomRequest } from './random.ts';

const LIMIT_BYTES = 4096;
let engine: GpuEngine | null = null;

/** A GPU engine with the small result limit (software adapters accepted); in CI no adapter is a failure. */
beforeAll(async () => {
  useSwiftShaderIfUnset();
  const provider = await nodeGpuProvider();
  const adapter = await provider.gpu?.requestAdapter();
  if (!provider.gpu || !adapter) {
    if (process.env.CI) throw new Error(`split-batch parity needs a WebGPU adapter in CI: ${provider.missing ?? 'no adapter'}`);
    console.warn('split-batch parity skipped: no WebGPU adapter');
    return;
  }
  const device = await adapter.requestDevice();
  engine = await GpuEngine.create(device, provider.files, 'split test', [provider.gpu, adapter], { maxResultBytes: LIMIT_BYTES });
}, 120_000);
afterAll(() => engine?.destroy());

const K8S: K8sKernelSpec[] = [
  kernelSpecFor('k8s-default') as K8sKernelSpec,
  kernelSpecFor('k8s-default', { strategy: 'MostAllocated', gpuWeight: 2 }) as K8sKernelSpec,
];

describe('split batches (GPU engine with a 4,096-byte result limit) equal the CPU twin', () => {
  test('the limit is the one asked for', (t) => {
    if (!engine) return t.skip();
    expect(engine.resultLimitBytes).toBe(LIMIT_BYTES);
  });

  test('pod chunks and node tiles: decision records (k8s-default, 36 clusters of 1..3,000 nodes)', async (t) => {
    if (!engine) return t.skip();
    const g = engine!;
    let tiled = 0;
    let chunked = 0;
    for (let seed = 1; seed <= 36; seed++) {
      const rng = new Rng(seed * 104_729);
      // every third cluster exceeds 1,024 nodes: one pod row is larger than the limit (node tiles)
      const n = seed % 3 === 0 ? 1025 + rng.int(2000) : 1 + rng.int(300);
      const c = randomCluster(rng, n);
      const spec = K8S[seed % K8S.length];
      const cpu = new CpuEngine();
      cpu.attach(c, spec);
      g.attach(c, spec);
      const pods = Array.from({ length: n > 1024 ? 3 : 10 }, () => randomRequest(rng, c.nodes[0].cpuMilli, c.nodes[0].memMiB));
      // windows: random starts (tiles begin mid-cluster and wrap), random wants (a scan may stop inside a tile)
      const windows = pods.map((_, i) => ({ start: i === 0 ? 0 : rng.int(n), want: i === 1 ? n : 1 + rng.int(n) }));
      // top-k too (k = 0..8): chunks decode it per record, tiles merge the tiles' lists
      const k = seed % 9;
      const before = g.submits;
      const got = await g.evaluate(pods, windows, k);
      expect(got, `seed ${seed} (n ${n}, k ${k})`).toEqual(cpu.evaluateSync(pods, windows, k));
      // more than one submit: the batch really was split
      expect(g.submits - before, `seed ${seed}`).toBeGreaterThan(1);
      if (n > 1024) tiled++;
      else chunked++;
    }
    expect(tiled).toBe(12);
    expect(chunked).toBe(24);
  }, 240_000);

  test('node tiles merge plateaus and ties across tile borders (every node feasible, few totals)', async (t) => {
    if (!engine) return t.skip();
    const g = engine!;
    // 2,600 identical empty nodes: every node scores the same total, so the single plateau and the tied set span
    // all three tiles (1,024 + 1,024 + 552 nodes); a CPU-only pod fits everywhere.
    const { ClusterState, buildNodes } = await import('../../src/model/cluster.ts');
    const { resolveCatalog } = await import('../../src/scenario/gpuCatalog.ts');
    const flat = new ClusterState(buildNodes({ pools: [{ name: 'a', count: 2600, gpuModel: 'T4', gpusPerNode: 1, cpuMilli: 8000, memMiB: 16384, topology: 'pcie', numaNodes: 1 }] }, resolveCatalog(undefined)), resolveCatalog(undefined));
    const spec = K8S[0];
    const cpu = new CpuEngine();
    cpu.attach(flat, spec);
    g.attach(flat, spec);
    const pods = [{ cpuMilli: 1000, memMiB: 1024, gpuCount: 0, gpuMilli: 0, gpuMemMiB: 0, gpuCores: 0, gpuModels: [] }];
    for (const window of [{ start: 0, want: 2600 }, { start: 1500, want: 2600 }, { start: 1000, want: 1500 }]) {
      const [d] = await g.evaluate(pods, [window]);
      expect(d).toEqual(cpu.evaluateSync(pods, [window])[0]);
      // one plateau holding every examined node
      expect(d.plateaus).toEqual([window.want]);
      expect(d.tied.length).toBe(window.want);
    }
  }, 120_000);

  test('packed results (scoreAll) in chunks and tiles, and a baseline kernel with its normalize (bestfit)', async (t) => {
    if (!engine) return t.skip();
    const g = engine!;
    for (let seed = 1; seed <= 4; seed++) {
      const rng = new Rng(seed);
      const n = seed % 2 ? 40 + rng.int(200) : 1100 + rng.int(900);
      const c = randomCluster(rng, n);
      const cpu = new CpuEngine();
      cpu.attach(c, K8S[0]);
      g.attach(c, K8S[0]);
      const pods = Array.from({ length: 7 }, () => randomRequest(rng, c.nodes[0].cpuMilli, c.nodes[0].memMiB));
      expect([...(await g.scoreAll(pods))], `seed ${seed}`).toEqual([...cpu.scoreAllSync(pods)]);
    }
    // bestfit normalizes each pod's row in place: pod chunks keep rows whole (fine), a tiled row is refused
    for (const policy of ['packing', 'bestfit']) {
      const spec: KernelSpec = kernelSpecFor(policy)!;
      const w = randomBaselineWorld(policy, 5, 120);
      const cpu = new CpuEngine();
      cpu.attach(w.cluster, spec);
      g.attach(w.cluster, spec);
      const rng = new Rng(11);
      const pods = Array.from({ length: 9 }, (_, i) => podOfTrace(randomTracePod(rng, i), 2_000_000 + i).request);
      const windows = pods.map(() => ({ start: rng.int(120), want: 120 }));
      expect(await g.evaluate(pods, windows), policy).toEqual(cpu.evaluateSync(pods, windows));
    }
    const big = randomBaselineWorld('bestfit', 6, 1100);
    g.attach(big.cluster, kernelSpecFor('bestfit')!);
    const pod = podOfTrace(randomTracePod(new Rng(3), 0), 3_000_000).request;
    await expect(g.evaluate([pod], [{ start: 0, want: 1100 }])).rejects.toThrow(/normalized score/);
  }, 240_000);

  test('lockstep replicas in pod chunks (evaluateReplicas)', async (t) => {
    if (!engine) return t.skip();
    const g = engine!;
    const spec = K8S[1];
    // replicas share the node list (same seed) and differ in usage: replica r drops the pods of every node i with
    // (i + r) % 3 === 0
    const clusters = [0, 1, 2].map((r) => {
      const c = randomCluster(new Rng(31), 90);
      for (const node of c.nodes) if ((node.id + r) % 3 === 0) for (const p of [...c.podsOnNode[node.id]]) c.unbind(p);
      return c;
    });
    g.attachReplicas(clusters, spec);
    const rng = new Rng(5);
    const pods = Array.from({ length: 12 }, () => randomRequest(rng, 8000, 30000));
    const windows = pods.map(() => ({ start: rng.int(90), want: 1 + rng.int(90) }));
    const replicas = pods.map((_, i) => i % 3);
    const got = await g.evaluateReplicas(pods, windows, replicas);
    pods.forEach((p, i) => {
      const cpu = new CpuEngine();
      cpu.attach(clusters[replicas[i]], spec);
      expect(got[i], `pod ${i}`).toEqual(cpu.evaluateSync([p], [windows[i]])[0]);
    });
  }, 120_000);
});
