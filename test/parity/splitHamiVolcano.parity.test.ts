/**
 * Batches larger than one storage binding on the HAMi and Volcano engines (GpuHamiEngine, VolcanoGpuEngine: pod
 * chunks and node tiles), and dispatches on 2-D workgroup grids, through Dawn (SwiftShader here). The engines run on
 * a GpuEngine created with an artificially small result limit (4,096 bytes) and at most 5 workgroups per grid
 * dimension, so small inputs take every path; their decisions and result words must equal the CPU twins', which
 * never split.
 *
 * With 4,096 bytes:
 * - HAMi (4 bytes per candidate, record 32 + ⌈n/32⌉ words): clusters of ≤ 1,024 nodes go in pod chunks of
 *   ⌊4096 / (4·max(n, record))⌋ pods (e.g. 20 pods at n = 50, 3 at n = 300); a larger cluster's pod row is scanned
 *   in node tiles of 1,024 nodes, in the window's rotated order (start..n−1, then 0..start−1).
 * - Volcano (8 bytes per candidate, record 16 + ⌈n/32⌉ words): pod chunks of ⌊4096 / (4·max(2n, record))⌋ pods
 *   for n ≤ 512 (e.g. 10 pods at n = 50, 1 at n = 300); node tiles of 512 nodes in node-id order beyond.
 * With 5 workgroups per dimension, a filter pass over 1,024 candidates (16 workgroups of 64) runs on a 4 × 4 grid
 * and a reduction of 20 pods on 5 × 4: the kernels linearise y·nx + x and drop the spare workgroups.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { loadScenarioFile } from '../../src/cli/scenarioFile.ts';
import { CpuHamiEngine } from '../../src/engine/cpu/filterScoreHami.ts';
import { VolcanoCpuEngine } from '../../src/engine/cpu/volcanoCpuEngine.ts';
import { GpuEngine, grid2d } from '../../src/engine/gpu/gpuEngine.ts';
import { hamiGpuFor } from '../../src/engine/gpu/hamiGpu.ts';
import { VolcanoGpuEngine } from '../../src/engine/gpu/volcanoGpuEngine.ts';

import { kernelSpecFor, hamiKernelSpecFor, volcanoKernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { gpuLockstepEngines, onLanes, sweepLockstep } from '../../src/engine/lockstep/lockstep.ts';
import { nodeGpuProvider, useSwiftShaderIfUnset } from '../../src/engine/wiring/nodeGpu.ts';
import type { EngineSelection } from '../../src/engine/wiring/select.ts';
import { volcanoKernelSpecOf } from '../../src/engine/kernels/volcano.ts';
import { engineStatusOf, withEngine } from '../../src/engine/wiring/wire.ts';
import { ClusterState, buildNodes } from '../../src/model/cluster.ts';
import { GPU_CATALOG, resolveCatalog } from '../../src/scenario/gpuCatalog.ts';
import type { PodRequest } from '../../src/model/pod.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { expandGrid, runReplica } from '../../src/sim/sweep.ts';
import { randomCluster, randomRequest } from './random.ts';
import { randomHamiPods, randomHamiWorld } from './randomHami.ts';
import { randomTask, randomVolcanoCluster, volcanoConfigs, vpod } from './volcanoWorlds.ts';

const LIMIT_BYTES = 4096;
const WORKGROUPS_PER_DIM = 5;
let engine: GpuEngine | null = null;

/** A GPU engine with the small limits (software adapters accepted); in CI no adapter is a failure. */
beforeAll(async () => {
  useSwiftShaderIfUnset();
  const provider = await nodeGpuProvider();
  const adapter = await provider.gpu?.requestAdapter();
  if (!provider.gpu || !adapter) {
    if (process.env.CI) throw new Error(`HAMi/Volcano split parity needs a WebGPU adapter in CI: ${provider.missing ?? 'no adapter'}`);
    console.warn('HAMi/Volcano split parity skipped: no WebGPU adapter');
    return;
  }
  const device = await adapter.requestDevice();
  engine = await GpuEngine.create(device, provider.files, 'split test', [provider.gpu, adapter], { maxResultBytes: LIMIT_BYTES, maxWorkgroupsPerDim: WORKGROUPS_PER_DIM });
}, 120_000);
afterAll(() => engine?.destroy());

/** `count` identical empty nodes with one T4 each: every pod that fits one fits all with the same score. */
function flatCluster(count: number): ClusterState {
  return new ClusterState(buildNodes({ pools: [{ name: 'a', count, gpuModel: 'T4', gpusPerNode: 1, cpuMilli: 8000, memMiB: 16384, topology: 'pcie', numaNodes: 1 }] }, resolveCatalog(undefined)), { ...GPU_CATALOG });
}

describe('2-D grids (grid2d with a small cap)', () => {
  // [groups, cap, grid]: x = ⌈groups / y⌉ with y = ⌈groups / cap⌉; x·y ≥ groups, x ≤ cap
  const cases: [number, number, [number, number]][] = [
    [0, 5, [1, 1]], // an empty dispatch still names one workgroup (the kernels bound-check)
    [5, 5, [5, 1]],
    [6, 5, [3, 2]], // y = 2, x = 3: 6 workgroups exactly
    [16, 5, [4, 4]], // y = 4, x = 4: 16
    [21, 5, [5, 5]], // y = 5, x = 5: 25 ≥ 21, 4 spare
    [65_536, 65_535, [32_768, 2]],
  ];
  for (const [groups, cap, want] of cases) {
    test(`${groups} workgroups, cap ${cap}`, () => {
      expect(grid2d(groups, cap)).toEqual(want);
    });
  }
});

describe('HAMi and Volcano engines with a 4,096-byte result limit and 5 workgroups per dimension equal the CPU twins', () => {
  test('the limits are the ones asked for', (t) => {
    if (!engine) return t.skip();
    expect(engine.resultLimitBytes).toBe(LIMIT_BYTES);
    expect(engine.workgroupsPerDim).toBe(WORKGROUPS_PER_DIM);
  });

  test('the k8s kernels on the same engine: 2-D grids and pod chunks, decisions = the CPU twin (k8s-default, 4 clusters)', async (t) => {
    if (!engine) return t.skip();
    const g = engine!;
    const spec = kernelSpecFor('k8s-default')!;
    for (let seed = 1; seed <= 4; seed++) {
      const rng = new Rng(seed * 31);
      const n = 40 + rng.int(400);
      const c = randomCluster(rng, n);
      const cpu = new CpuEngine();
      cpu.attach(c, spec);
      g.attach(c, spec);
      // 24 pods: pod chunks of ⌊4096 / max(4n, record)⌋, a filter grid of up to 16 workgroups (4 × 4) and a
      // reduction grid of up to 24 (5 × 5) per submit
      const pods = Array.from({ length: 24 }, () => randomRequest(rng, c.nodes[0].cpuMilli, c.nodes[0].memMiB));
      const windows = pods.map(() => ({ start: rng.int(n), want: 1 + rng.int(n) }));
      expect(await g.evaluate(pods, windows), `seed ${seed} (n ${n})`).toEqual(cpu.evaluateSync(pods, windows));
    }
  }, 120_000);

  test('HAMi: pod chunks and node tiles, decision records and result words (12 worlds of 1..2,200 nodes)', async (t) => {
    if (!engine) return t.skip();
    const g = hamiGpuFor(engine);
    let tiled = 0;
    let chunked = 0;
    let ties = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const rng = new Rng(seed * 7919);
      // every third world exceeds 1,024 nodes: one pod row is larger than the limit (node tiles)
      const n = seed % 3 === 0 ? 1025 + rng.int(1200) : 1 + rng.int(300);
      const w = randomHamiWorld(seed + 5000, n, undefined, n);
      const spec = hamiKernelSpecFor(w.profile, w.options)!;
      const pods = randomHamiPods(rng, w, n > 1024 ? 3 : 12, 96000, 786432);
      // windows: random starts (tiles begin mid-cluster and wrap), random wants (a scan may stop inside a tile)
      const windows = pods.map((_, i) => ({ start: i === 0 ? 0 : rng.int(n), want: i === 1 ? n : 1 + rng.int(n) }));
      const cpu = new CpuHamiEngine();
      cpu.attach(w.cluster, spec);
      g.attach(w.cluster, spec);
      const before = g.submits;
      const want = cpu.evaluateSync(pods, windows);
      expect(await g.evaluate(pods, windows), `seed ${seed} (n ${n})`).toEqual(want);
      // more than one submit: the batch really was split (12 pods × n > 85 nodes, or a tiled row)
      if (n > 85) expect(g.submits - before, `seed ${seed}`).toBeGreaterThan(1);
      ties += want.filter((d) => d.tied.length > 1).length;
      if (n > 1024) tiled++;
      else chunked++;
      // result words in chunks and tiles (scoreAll: tiles of 1,024 nodes in node order, several pods per submit)
      const words = await g.scoreAll(pods.slice(0, 3));
      const wantWords = cpu.scoreAllSync(pods.slice(0, 3));
      const i = wantWords.findIndex((v, k) => v !== words[k]);
      expect(i, `seed ${seed}: first differing word`).toBe(-1);
      expect(words.length).toBe(wantWords.length);
    }
    expect(tiled).toBe(4);
    expect(chunked).toBe(8);
    expect(ties).toBeGreaterThan(3);
  }, 180_000);

  test('HAMi: node tiles continue the tie set across tile borders (2,600 equal nodes)', async (t) => {
    if (!engine) return t.skip();
    const g = hamiGpuFor(engine);
    // 2,600 empty one-T4 nodes: a one-GPU HAMi pod fits every node with the same node score, so the tie set spans
    // the three tiles (1,024 + 1,024 + 552 nodes, or the rotated window's pieces)
    const flat = flatCluster(2600);
    const spec = hamiKernelSpecFor('hami-binpack', {})!;
    const cpu = new CpuHamiEngine();
    cpu.attach(flat, spec);
    g.attach(flat, spec);
    const pods: PodRequest[] = [{ cpuMilli: 1000, memMiB: 1024, gpuCount: 1, gpuMilli: 1000, gpuMemMiB: 1000, gpuCores: 10, gpuModels: [] }];
    for (const window of [{ start: 0, want: 2600 }, { start: 1500, want: 2600 }, { start: 1000, want: 1500 }]) {
      const before = g.submits;
      const [d] = await g.evaluate(pods, [window]);
      expect(d).toEqual(cpu.evaluateSync(pods, [window])[0]);
      // every examined node fits and ties, in scan order from the window's start
      expect(d.fit).toBe(window.want);
      expect(d.tied.length).toBe(window.want);
      expect(d.tied[0]).toBe(window.start);
      expect(g.submits - before).toBeGreaterThanOrEqual(2);
    }
  }, 120_000);

  test('Volcano: pod chunks and node tiles, decision records and result words (6 configurations × 3 worlds)', async (t) => {
    if (!engine) return t.skip();
    const g = new VolcanoGpuEngine(engine);
    let tiled = 0;
    let ties = 0;
    let seed = 0;
    for (const { name, config } of volcanoConfigs()) {
      const spec = volcanoKernelSpecOf(config)!;
      for (let k = 0; k < 3; k++) {
        seed++;
        const rng = new Rng(seed * 104_729 + name.length);
        // k = 2: more than 512 nodes, so a task's row (8 bytes per node) exceeds the limit (node tiles)
        const n = k === 2 ? 513 + rng.int(900) : 1 + rng.int(k === 0 ? 60 : 400);
        const cluster = randomVolcanoCluster(rng, n);
        const cpu = new VolcanoCpuEngine();
        cpu.attach(cluster, spec);
        g.attach(cluster, spec);
        const maxCpu = Math.max(...cluster.nodes.map((x) => x.cpuMilli));
        const maxMem = Math.max(...cluster.nodes.map((x) => x.memMiB));
        const pods = Array.from({ length: n > 512 ? 3 : 12 }, () => randomTask(rng, maxCpu, maxMem, 15360));
        const before = g.submits;
        const want = cpu.evaluateSync(pods);
        expect(await g.evaluate(pods), `${name} seed ${seed} (n ${n})`).toEqual(want);
        if (n > 42) expect(g.submits - before, `${name} seed ${seed}`).toBeGreaterThan(1);
        ties += want.filter((d) => d.tied.length > 1).length;
        if (n > 512) tiled++;
        const words = await g.scoreAll(pods.slice(0, 3));
        const wantWords = cpu.scoreAllSync(pods.slice(0, 3));
        const i = wantWords.findIndex((v, j) => v !== words[j]);
        expect(i, `${name} seed ${seed}: first differing word`).toBe(-1);
        expect(words.length).toBe(wantWords.length);
      }
    }
    expect(tiled).toBe(6);
    expect(ties).toBeGreaterThan(3);
    g.destroy();
  }, 180_000);

  test('Volcano: node tiles merge the highest key and its tie set across tiles (1,300 nodes)', async (t) => {
    if (!engine) return t.skip();
    const g = new VolcanoGpuEngine(engine);
    const flat = flatCluster(1300);
    const spec = volcanoKernelSpecFor('volcano')!;
    const cpu = new VolcanoCpuEngine();
    cpu.attach(flat, spec);
    g.attach(flat, spec);
    // one task fits every node with the same total: the tie set spans the three tiles (512 + 512 + 276 nodes). A
    // CPU-only task: nodeorder's BalancedAllocation weighs nvidia.com/gpu only for pods that request GPUs
    // (plugins/nodeorder/nodeorder.go), so the totals below move with cpu and memory alone, as the comments say.
    const task: PodRequest = { cpuMilli: 1000, memMiB: 1024, gpuCount: 0, gpuMilli: 0, gpuMemMiB: 0, gpuCores: 0, gpuModels: [] };
    const check = async () => {
      cpu.attach(flat, spec);
      const [d] = await g.evaluate([task]);
      expect(d).toEqual(cpu.evaluateSync([task])[0]);
      expect(d.feasible).toBe(1300);
      return d;
    };
    expect((await check()).tied.length).toBe(1300);
    // a CPU pod on node 700 (second tile): leastrequested drops it more than binpack raises it (weights 1, 1), so
    // the others still tie: the first and third tiles' ties at the maximum, the second's without node 700
    const cpuPod = (cpuMilli: number) => vpod({ cpuMilli, memMiB: 2048, gpuCount: 0, gpuMilli: 0, gpuMemMiB: 0, gpuCores: 0, gpuModels: [] });
    flat.bind(cpuPod(2000), { nodeId: 700, gpus: [] });
    const others = await check();
    expect(others.tied.length).toBe(1299);
    expect(others.tied).not.toContain(700);
    // 4,000 milli-CPU on every other node: node 700 is now the single best, in the middle tile
    for (const n of flat.nodes) if (n.id !== 700) flat.bind(cpuPod(4000), { nodeId: n.id, gpus: [] });
    expect((await check()).tied).toEqual([700]);
    g.destroy();
  }, 120_000);

  test('lockstep batches of several replicas in pod chunks and node tiles (evaluateReplicas)', async (t) => {
    if (!engine) return t.skip();
    // three replicas share a node list (same seed) and differ in usage: replica r unbinds the pods of every node i
    // with (i + r) % 3 === 0; pod p asks replica p % 3
    const replicasOf = (make: () => ClusterState) => [0, 1, 2].map((r) => {
      const c = make();
      for (const node of c.nodes) if ((node.id + r) % 3 === 0) for (const p of [...c.podsOnNode[node.id]]) c.unbind(p);
      return c;
    });
    const rng = new Rng(77);
    // HAMi, 200 nodes: 9 pods of 3 replicas in chunks of ⌊4096 / 800⌋ = 5 pods
    const hw = randomHamiWorld(6100, 200, 'hami-spread', 300);
    const hspec = hamiKernelSpecFor(hw.profile, hw.options)!;
    const hclusters = replicasOf(() => randomHamiWorld(6100, 200, 'hami-spread', 300).cluster);
    const hg = hamiGpuFor(engine);
    hg.attachReplicas(hclusters, hspec);
    const hpods = randomHamiPods(rng, hw, 9, 96000, 786432);
    const hwindows = hpods.map(() => ({ start: rng.int(200), want: 1 + rng.int(200) }));
    const replicas = hpods.map((_, i) => i % 3);
    let before = hg.submits;
    const hgot = await hg.evaluateReplicas(hpods, hwindows, replicas);
    expect(hg.submits - before).toBe(2);
    hpods.forEach((p, i) => {
      const cpu = new CpuHamiEngine();
      cpu.attach(hclusters[replicas[i]], hspec);
      expect(hgot[i], `HAMi pod ${i}`).toEqual(cpu.evaluateSync([p], [hwindows[i]])[0]);
    });
    // Volcano, 600 nodes: every task's row (4,800 bytes) is tiled (512 + 88 nodes) at its replica's node base
    const vg = new VolcanoGpuEngine(engine);
    const vspec = volcanoKernelSpecFor('volcano-hami')!;
    const vclusters = replicasOf(() => randomVolcanoCluster(new Rng(41), 600));
    vg.attachReplicas(vclusters, vspec);
    const vpods = Array.from({ length: 6 }, () => randomTask(rng, 32000, 131072, 15360));
    const vreplicas = vpods.map((_, i) => i % 3);
    before = vg.submits;
    const vgot = await vg.evaluateReplicas(vpods, [], vreplicas);
    expect(vg.submits - before).toBe(12);
    vpods.forEach((p, i) => {
      const cpu = new VolcanoCpuEngine();
      cpu.attach(vclusters[vreplicas[i]], vspec);
      expect(vgot[i], `Volcano task ${i}`).toEqual(cpu.evaluateSync([p])[0]);
    });
    vg.destroy();
  }, 120_000);

  test('a lockstep sweep with split dispatches equals the sequential CPU sweep (small-mixed at 300 nodes)', async (t) => {
    if (!engine) return t.skip();
    // small-mixed's pools scaled ×50 (100 H100 + 200 L4 nodes): a HAMi dispatch of R replicas holds R × 1,200
    // bytes of results, so more than 3 pending replicas split into chunks of 3; a Volcano task's row is 2,400
    // bytes, so every Volcano task of a round is its own submit
    const base = loadScenarioFile(fileURLToPath(new URL('../../public/scenarios/small-mixed.json', import.meta.url)));
    const scenario: Scenario = { ...base, cluster: { ...base.cluster, pools: base.cluster.pools.map((p) => ({ ...p, count: p.count * 50 })) } };
    const sel: EngineSelection = { engine: engine!, status: { engine: 'gpu', cause: 'requested', adapter: engine!.label, detail: 'split parity' }, adapter: engine!.label, software: true };
    for (const grid of [
      { profiles: ['hami-binpack'], seeds: [1, 2, 3, 4], knobs: {} },
      { profiles: ['volcano-hami'], seeds: [1, 2, 3], knobs: {} },
    ]) {
      const replicas = expandGrid(grid);
      const engines = gpuLockstepEngines(engine!);
      const counter = grid.profiles[0].startsWith('hami') ? engines.hami : engines.volcano;
      const submits = () => (counter as unknown as { submits: number }).submits;
      const before = submits();
      const out = await sweepLockstep(engine!, scenario, replicas, (lane, x, profile, options, s) => onLanes(withEngine(sel, x, { profile, options }, s), lane, engines));
      const after = submits();
      engines.destroy();
      expect(out.failures).toEqual([]);
      for (const r of out.results) {
        const rep = engineStatusOf(sel, r!.scheduler);
        expect(rep.engine, JSON.stringify(rep)).toBe('gpu');
      }
      expect(out.results.map((r) => r!.row)).toEqual(replicas.map((r) => runReplica(scenario, r)));
      // batched, and split: more submits than dispatches
      expect(out.stats.batched).toBe(replicas.length);
      expect(out.stats.dispatches).toBeLessThan(out.stats.decisions);
      expect(after - before, grid.profiles[0]).toBeGreaterThan(out.stats.dispatches);
    }
  }, 240_000);
});
