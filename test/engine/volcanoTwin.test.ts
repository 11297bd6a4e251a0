/**
 * The Volcano kernel's TypeScript twin (src/engine/cpu/filterScoreVolcano.ts, cpu/selectMaxKey.ts) against the plugin
 * path (src/sched/volcano/session.ts NodePlugins, nodeScorer.ts PluginNodeScorer): identical predicates and
 * reasons, bit-identical float64 totals, identical node choices and RNG draws on seeded random worlds and on
 * boundary worlds where float64 rounding (not the exact rational total) decides the best node; whole simulations
 * of every preset through VolcanoEvaluator on the twin give the plugin path's traceHash; a failing engine
 * mid-run hands over to the twin without changing the run.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { VolcanoCpuEngine } from '../../src/engine/cpu/volcanoCpuEngine.ts';
import { binpackArgsOf, filterScoreVolcano } from '../../src/engine/cpu/filterScoreVolcano.ts';
import { VolcanoEvaluator, placementOf } from '../../src/engine/evaluator/volcanoEvaluator.ts';
import { packVolcanoPods, VOLCANO_REASON_TEXT, volcanoKernelSpecOf, type VolcanoDecision, type VolcanoEngine } from '../../src/engine/kernels/volcano.ts';
import { ClusterBuffers } from '../../src/engine/kernels/state.ts';
import { loadScenarioFile } from '../../src/cli/scenarioFile.ts';
import { simulate, simulateAsync } from '../../src/sim/simulation.ts';
import { PluginNodeScorer } from '../../src/sched/volcano/nodeScorer.ts';
import { VolcanoScheduler } from '../../src/sched/volcano/scheduler.ts';
import { NodePlugins } from '../../src/sched/volcano/session.ts';
import { boundaryGroups, boundaryWorld, pluginCandidate, randomTask, randomVolcanoCluster, volcanoConfigs, vpod } from '../parity/volcanoWorlds.ts';
import { volcanoKernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { useEvaluator } from '../../src/sched/cycle.ts';
import { engineEvaluatorOf } from '../../src/engine/wiring/wire.ts';
import { engineReason } from '../../src/cli/engine.ts';

const configs = volcanoConfigs();

describe('Volcano kernel spec', () => {
  test('profiles map to specs; the defaults read as the Helm chart and the vGPU user guide set them', () => {
    // volcano: nodeorder leastrequested 1 + balancedresource 1, binpack weight 1 (cpu 1, memory 1, GPUs unlisted)
    expect(volcanoKernelSpecFor('volcano')).toEqual({ kind: 'volcano', vgpu: false, leastRequestedWeight: 1, balancedWeight: 1, binpack: { weight: 1, cpu: 1, memory: 1, gpu: 0 }, deviceShare: null });
    // volcano-hami: deviceshare binpack, weight 10, split 10
    expect(volcanoKernelSpecFor('volcano-hami')?.deviceShare).toEqual({ spread: false, splitCount: 10, weight: 10 });
    expect(volcanoKernelSpecFor('volcano', { binpackWeight: 0 })?.binpack).toBeNull();
    expect(volcanoKernelSpecFor('k8s-default')).toBeNull();
    // a non-integer weight is not the kernel's: the run stays on the plugin path
    expect(volcanoKernelSpecFor('volcano', { binpackCpu: 1.5 })).toBeNull();
  });
});

describe('twin = plugin path, candidate by candidate', () => {
  test('random worlds: reasons and float64 totals identical (6 configurations × 50 worlds × 8 tasks)', () => {
    let feasible = 0;
    let infeasible = 0;
    let fractional = 0;
    for (const { name, config } of configs) {
      const spec = volcanoKernelSpecOf(config)!;
      const binpack = binpackArgsOf(spec);
      const plugins = new NodePlugins(config);
      for (let seed = 1; seed <= 50; seed++) {
        const rng = new Rng(seed * 7919 + name.length);
        const cluster = randomVolcanoCluster(rng, 1 + rng.int(seed % 10 === 0 ? 60 : 16));
        const state = new ClusterBuffers(cluster);
        const maxCpu = Math.max(...cluster.nodes.map((n) => n.cpuMilli));
        const maxMem = Math.max(...cluster.nodes.map((n) => n.memMiB));
        const pods = Array.from({ length: 8 }, () => vpod(randomTask(rng, maxCpu, maxMem, 15360)));
        const packed = packVolcanoPods(state, pods.map((p) => p.request));
        pods.forEach((pod, p) => {
          for (let i = 0; i < cluster.nodes.length; i++) {
            const want = pluginCandidate(plugins, pod, cluster, i);
            const got = filterScoreVolcano(spec, binpack, state.nodes, state.gpus, i, packed, p);
            const where = `${name} seed ${seed} pod ${p} node ${i}`;
            if ('reasons' in want) {
              infeasible++;
              const texts = VOLCANO_REASON_TEXT.filter((_, b) => (got.reasons >>> b) & 1).sort();
              expect(texts, where).toEqual(want.reasons);
            } else {
              feasible++;
              if (!Number.isInteger(want.total)) fractional++;
              expect(got.reasons, where).toBe(0);
              expect(Object.is(got.total, want.total), `${where}: twin ${got.total} plugin ${want.total}`).toBe(true);
            }
          }
        });
      }
    }
    // the worlds exercise both outcomes, and most totals carry binpack/deviceshare fractions
    expect(feasible).toBeGreaterThan(3000);
    expect(infeasible).toBeGreaterThan(3000);
    expect(fractional).toBeGreaterThan(feasible / 2);
  });

  test('random worlds: node choice, cards and RNG draws of the twin = PluginNodeScorer (6 configurations × 40 worlds)', () => {
    let ties = 0;
    for (const { name, config } of configs) {
      const spec = volcanoKernelSpecOf(config)!;
      const plugins = new NodePlugins(config);
      const scorer = new PluginNodeScorer(plugins);
      for (let seed = 1; seed <= 40; seed++) {
        const rng = new Rng(seed * 104729);
        const cluster = randomVolcanoCluster(rng, 2 + rng.int(20));
        const cpu = new VolcanoCpuEngine();
        cpu.attach(cluster, spec);
        for (let k = 0; k < 8; k++) {
          const pod = vpod(randomTask(rng, 8000, 30000, 15360));
          const a = new Rng(seed * 31 + k);
          const b = new Rng(seed * 31 + k);
          const want = scorer.place(pod, { cluster, rng: a, nowS: 0 });
          const d = cpu.evaluateSync([pod.request])[0];
          if (d.tied.length > 1) ties++;
          const got = placementOf(d, pod, { cluster, rng: b, nowS: 0 }, plugins);
          expect(got, `${name} seed ${seed} task ${k}`).toEqual(want);
          expect(b.nextU32()).toBe(a.nextU32());
          // bind it, so later tasks see the changed node (the engine rescans node versions)
          if ('nodeId' in got) cluster.bind(pod, got);
        }
      }
    }
    expect(ties).toBeGreaterThan(40); // identical nodes of a pool tie: the draw is exercised
  });

  test('boundary worlds: float64, not the exact rational total, picks the node; twin = plugin path', () => {
    // Every group holds nodes whose exact totals lr + br + 100·((uc+1)/ac + (um+1)/am)/2 are equal (task cpu 1,
    // memory 1), while the float64 sums differ: an exact-arithmetic kernel would tie all of them.
    const groups = boundaryGroups(60);
    expect(groups.length).toBe(60);
    const spec = volcanoKernelSpecFor('volcano')!;
    const plugins = new NodePlugins(configs[0].config);
    let narrower = 0;
    groups.forEach((nodes, g) => {
      const { cluster, task } = boundaryWorld(nodes, new Rng(g + 1));
      const cpu = new VolcanoCpuEngine();
      cpu.attach(cluster, spec);
      const d = cpu.evaluateSync([task.request])[0];
      expect(d.feasible).toBe(nodes.length);
      // the plugin's best nodes are the twin's tied set
      const totals = cluster.nodes.map((_, i) => (pluginCandidate(plugins, task, cluster, i) as { total: number }).total);
      const best = Math.max(...totals);
      expect(d.tied, `group ${g}`).toEqual(totals.flatMap((t, i) => (t === best ? [i] : [])));
      if (d.tied.length < nodes.length) narrower++;
    });
    expect(narrower).toBe(60);
  });
});

describe('whole simulations through VolcanoEvaluator on the twin', () => {
  const dir = new URL('../../public/scenarios/', import.meta.url);
  const presets = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json' && f !== 'openb-like.json').sort();
  for (const profile of ['volcano', 'volcano-hami']) {
    test(`every preset under ${profile}: same traceHash, summary and events as the plugin path`, () => {
      expect(presets.length).toBeGreaterThanOrEqual(8);
      for (const file of presets) {
        const base = loadScenarioFile(fileURLToPath(new URL(file, dir)));
        const scenario = { ...base, schedulers: [{ profile }] };
        const want = simulate(scenario);
        let used: VolcanoScheduler | null = null;
        const got = simulate(scenario, {
          wrapScheduler: (s) => (used = useEvaluator(s as VolcanoScheduler, new VolcanoEvaluator(volcanoKernelSpecOf((s as VolcanoScheduler).config)!, new VolcanoCpuEngine()))),
        });
        expect(used).not.toBeNull();
        expect(got.traceHash, file).toBe(want.traceHash);
        expect(got.summary, file).toEqual(want.summary);
      }
    }, 60_000);
  }

  test('an engine failing mid-run: the run finishes on the twin with the plugin path result, and says so', async () => {
    const base = loadScenarioFile(fileURLToPath(new URL('trio.json', dir)));
    const scenario = { ...base, schedulers: [{ profile: 'volcano' }] };
    const want = simulate(scenario);
    // an "engine" that answers 50 tasks through the twin, then fails like a lost device
    const twin = new VolcanoCpuEngine();
    let calls = 0;
    const failing: VolcanoEngine = {
      kind: 'gpu',
      label: 'WebGPU: test double',
      attach: (c, s) => twin.attach(c, s),
      evaluate: async (pods): Promise<VolcanoDecision[]> => {
        if (++calls > 50) throw new Error('device lost');
        return twin.evaluateSync(pods);
      },
      scoreAll: (pods) => twin.scoreAll(pods),
      destroy: () => twin.destroy(),
    };
    let used: VolcanoScheduler | null = null;
    const got = await simulateAsync(scenario, { wrapScheduler: (s) => (used = useEvaluator(s as VolcanoScheduler, new VolcanoEvaluator(volcanoKernelSpecFor('volcano')!, failing))) });
    expect(calls).toBe(51);
    expect(got.traceHash).toBe(want.traceHash);
    expect(engineEvaluatorOf(used!)!.activeEngine.kind).toBe('cpu');
    expect(engineReason(engineEvaluatorOf(used!)!.status)).toContain('device lost');
  }, 60_000);
});
