/**
 * The k8s kernel's PodTopologySpread pass on the CPU twin (engine/cpu/spreadPass.ts with kernels/spread.ts's
 * host inputs): filterScoreK8s's totals plus 2 × the pass's normalized spread score, reduced over the window and
 * tie-broken as the engine does, give FrameworkScheduler.attempt's decisions for owned replicas on random worlds
 * (zones, unlabelled pools, node affinity, windows cut by numFeasibleNodesToFind): same node, same nodes
 * processed, same reasons, same RNG draws. The plugin path is the reference (its rules cite kube v1.34
 * podtopologyspread/scoring.go; test/sched/podTopologySpread.test.ts derives its numbers from upstream). Then the
 * dispatch: whole preset simulations whose k8s schedulers run on FrameworkEvaluator over the CPU engine, owned
 * replicas on the engine's spread pass (none on the plugin path), give the plugin path's trace.
 */
import { describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { addSpreadScores } from '../../src/engine/cpu/spreadPass.ts';
import { reduceWindow } from '../../src/engine/cpu/selectBest.ts';
import { chooseNode } from '../../src/engine/evaluator/choose.ts';
import { rejectedRecord } from '../../src/engine/evaluator/frameworkEvaluator.ts';
import { ZONE_ID_MASK, ZONE_LABELLED, packSpreadInputs, spreadLogTable, zoneWordsOf } from '../../src/engine/kernels/spread.ts';
import { kernelSpecFor } from '../../src/engine/kernels/specs.ts';
import type { K8sKernelSpec } from '../../src/engine/kernels/types.ts';
import { POD_TOPOLOGY_SPREAD_WEIGHT } from '../../src/sched/plugins/podTopologySpread.ts';
import { createScheduler } from '../../src/sched/profiles/index.ts';
import { numFeasibleNodesToFind, type FrameworkScheduler } from '../../src/sched/runner.ts';
import { randomCluster, randomRequest, replicaOf } from '../parity/random.ts';
import { randomTimeSlicingCluster } from '../parity/randomTimeSlicing.ts';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../../src/cli/scenarioFile.ts';
import { simulate } from '../../src/sim/simulation.ts';
import { evaluatorFor, engineEvaluatorOf } from '../../src/engine/wiring/wire.ts';
import { profileKernelFor } from '../../src/engine/kernels/specs.ts';
import { FrameworkEvaluator } from '../../src/engine/evaluator/frameworkEvaluator.ts';
import { CpuReplicaEngine, sweepLockstep } from '../../src/engine/lockstep/lockstep.ts';
import { useEvaluator } from '../../src/sched/cycle.ts';
import { FrameworkScheduler as Framework } from '../../src/sched/runner.ts';
import { expandGrid, runReplica } from '../../src/sim/sweep.ts';

describe('PodTopologySpread pass twin', () => {
  test('zone words: "" and a missing label share id 0, only labelled nodes carry the flag', async () => {
    const { ClusterState, buildNodes } = await import('../../src/model/cluster.ts');
    const { resolveCatalog } = await import('../../src/scenario/gpuCatalog.ts');
    const pool = (name: string, labels?: Record<string, string>) => ({ name, count: 1, gpuModel: 'T4', gpusPerNode: 0, cpuMilli: 1000, memMiB: 1000, topology: 'pcie' as const, numaNodes: 1, labels });
    const c = new ClusterState(buildNodes({ pools: [pool('a', { 'topology.kubernetes.io/zone': 'z1' }), pool('b'), pool('c', { 'topology.kubernetes.io/zone': '' }), pool('d', { 'topology.kubernetes.io/zone': 'z1' })] }, resolveCatalog(undefined)), resolveCatalog(undefined));
    const w = [...zoneWordsOf(c)];
    expect(w.map((x) => x & ZONE_ID_MASK)).toEqual([1, 0, 0, 1]);
    expect(w.map((x) => (x & ZONE_LABELLED) !== 0)).toEqual([true, false, true, true]);
  });

  for (const [profile, options] of [['k8s-default', {}], ['k8s-default', { strategy: 'MostAllocated', gpuWeight: 2 }], ['k8s-timeslicing', {}]] as const) {
    test(`${profile} ${JSON.stringify(options)}: twin decisions equal the plugin path's for owned replicas (random worlds)`, () => {
      const spec = kernelSpecFor(profile, options) as K8sKernelSpec;
      let attempts = 0;
      let spreadDecides = 0;
      let cut = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const rng = new Rng(seed * 7919);
        // every fourth world past 100 nodes, where numFeasibleNodesToFind cuts the window short
        const size = 2 + rng.int(seed % 4 === 0 ? 300 : 30);
        const c = profile === 'k8s-timeslicing' ? randomTimeSlicingCluster(rng, size, spec.gpuReplicas) : randomCluster(rng, size);
        const n = c.nodes.length;
        const fw = createScheduler(profile, options, { scenario: {} as never, cluster: c, rng }) as FrameworkScheduler;
        const want = numFeasibleNodesToFind(n, fw.config.percentageOfNodesToScore);
        const plugin = new Rng(seed);
        const twin = new Rng(seed);
        const table = spreadLogTable(n);
        const zones = zoneWordsOf(c);
        const cpu = new CpuEngine();
        const maxCpu = c.nodes[0].cpuMilli;
        const maxMem = c.nodes[0].memMiB;
        const bound = [];
        for (let k = 0; k < 60; k++) {
          const pod = replicaOf(randomRequest(rng, maxCpu, maxMem), 0, rng.int(3));
          const window = { start: fw.nextStartNodeIndex, want };
          cpu.attach(c, spec);
          const row = Float64Array.from(cpu.scoreAllSync([pod.request]));
          const plain = reduceWindow(n, window, (i) => row[i]);
          addSpreadScores(row, window, packSpreadInputs(c, pod, zones)!, table, POD_TOPOLOGY_SPREAD_WEIGHT);
          const d = reduceWindow(n, window, (i) => row[i]);
          const node = chooseNode(d, fw.config.tieBreak, twin);
          const a = fw.attempt(pod, { cluster: c, rng: plugin, nowS: 0 });
          const where = `seed ${seed}, pod ${k}`;
          expect(node, where).toBe(a.nodeIndex);
          expect(fw.nextStartNodeIndex, where).toBe((window.start + d.processed) % n);
          expect(d.feasible, where).toBe(a.feasible);
          if (a.nodeIndex < 0) expect(rejectedRecord(d), where).toEqual(a.rejected);
          attempts++;
          if (d.feasible > 1 && plain.tied.join() !== d.tied.join()) spreadDecides++;
          if (d.processed < n && d.feasible === want) cut++;
          if (a.nodeIndex >= 0) {
            c.bind(pod, { nodeId: a.nodeIndex, gpus: a.gpus });
            bound.push(pod);
          }
          // some replicas leave, so counts go down as well as up
          if (bound.length > 0 && rng.int(5) === 0) c.unbind(bound.splice(rng.int(bound.length), 1)[0]);
        }
        expect(twin.nextU32(), `seed ${seed}: RNG state`).toBe(plugin.nextU32());
      }
      // the pass changes the tie set in many attempts, and windows cut short occur (the test can fail)
      expect(attempts).toBe(40 * 60);
      expect(spreadDecides).toBeGreaterThan(200);
      expect(cut).toBeGreaterThan(5);
    }, 120_000);
  }

  // presets with inference replicas and agent sessions (owned pods) under each k8s kernel profile; in
  // agents-elastic the pass decides placements (with its weight at 0 the trace differs: checked when written), the
  // others pin the dispatch under the other two kernels' allocators
  for (const [preset, profile] of [['small-mixed', 'k8s-default'], ['agents-elastic', 'k8s-timeslicing'], ['mig-layouts', 'k8s-mig']] as const) {
    test(`${preset} under ${profile}: FrameworkEvaluator on the CPU engine runs owned pods on the spread pass, trace = plugin path's`, () => {
      const base = loadScenarioFile(fileURLToPath(new URL(`../../public/scenarios/${preset}.json`, import.meta.url)));
      const scenario = { ...base, schedulers: [{ profile }] };
      const plugin = simulate(scenario, { seed: 3 });
      let ev: FrameworkEvaluator | null = null;
      const engine = simulate(scenario, {
        seed: 3,
        wrapScheduler: (x, setup) => {
          const kernel = profileKernelFor(profile, setup.schedulerSpec.options, setup.scenario)!;
          const wrapped = evaluatorFor(x, kernel, new CpuEngine());
          ev = engineEvaluatorOf(wrapped) as FrameworkEvaluator;
          return wrapped;
        },
      });
      expect(ev).toBeInstanceOf(FrameworkEvaluator);
      expect(ev!.spreadAttempts.pluginPath, ev!.spreadAttempts.reason).toBe(0);
      expect(ev!.spreadAttempts.engine).toBeGreaterThan(5);
      expect(engine.traceHash).toBe(plugin.traceHash);
    }, 120_000);
  }

  test('an engine that refuses the pass (GpuEngine: node tiles, > 256 zone values) sends owned pods to the plugin path: same trace', () => {
    class Refusing extends CpuEngine {
      spreadRefusal(): string {
        return 'refused for the test';
      }
    }
    const base = loadScenarioFile(fileURLToPath(new URL('../../public/scenarios/agents-elastic.json', import.meta.url)));
    const scenario = { ...base, schedulers: [{ profile: 'k8s-timeslicing' }] };
    let ev: FrameworkEvaluator | null = null;
    const engine = simulate(scenario, {
      seed: 3,
      wrapScheduler: (x, setup) => {
        const wrapped = evaluatorFor(x, profileKernelFor('k8s-timeslicing', setup.schedulerSpec.options, setup.scenario)!, new Refusing());
        ev = engineEvaluatorOf(wrapped) as FrameworkEvaluator;
        return wrapped;
      },
    });
    expect(ev!.spreadAttempts).toEqual({ engine: 0, pluginPath: 40, reason: 'refused for the test' });
    expect(engine.traceHash).toBe(simulate(scenario, { seed: 3 }).traceHash);
  });

  test('lockstep sweep on the CPU replica twins: lanes carry each replica\'s spread inputs; rows equal the sequential sweep', async () => {
    const scenario = loadScenarioFile(fileURLToPath(new URL('../../public/scenarios/agents-elastic.json', import.meta.url)));
    const replicas = expandGrid({ profiles: ['k8s-timeslicing', 'k8s-default'], seeds: [1, 2], knobs: {} });
    const evaluators: FrameworkEvaluator[] = [];
    const out = await sweepLockstep(new CpuReplicaEngine(), scenario, replicas, (lane, x, profile, options, s) => {
      const ev = new FrameworkEvaluator(kernelSpecFor(profile, options, s)!, lane);
      evaluators.push(ev);
      return useEvaluator(x as Framework, ev);
    });
    expect(out.failures).toEqual([]);
    expect(out.results.map((r) => r!.row)).toEqual(replicas.map((r) => runReplica(scenario, r)));
    for (const ev of evaluators) {
      expect(ev.spreadAttempts.pluginPath).toBe(0);
      expect(ev.spreadAttempts.engine).toBeGreaterThan(5);
    }
  }, 120_000);
});
