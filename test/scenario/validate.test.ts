import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { parseScenario } from '../../src/scenario/validate.ts';
import { SCENARIO_VERSION } from '../../src/scenario/types.ts';
import { buildRun } from '../../src/sim/setup.ts';

const presetDir = new URL('../../public/scenarios/', import.meta.url);
const load = (name: string) => JSON.parse(readFileSync(new URL(name, presetDir), 'utf8'));

describe('parseScenario', () => {
  it.each(readdirSync(presetDir).filter((f) => f.endsWith('.json') && f !== 'index.json'))('accepts the shipped preset %s', (f) => {
    const r = parseScenario(load(f));
    expect(r.ok ? [] : r.errors).toEqual([]);
  });

  const base = () => load('small-mixed.json');
  const cases: [string, (s: any) => void, string][] = [
    ['replicas below 1', (s) => (s.workloads[1].minReplicas = 0), 'workloads[1].minReplicas: must be ≥ 1'],
    ['max below min', (s) => (s.workloads[1].maxReplicas = 1), 'workloads[1].maxReplicas: must be ≥ minReplicas (2)'],
    ['unknown GPU model', (s) => (s.cluster.pools[0].gpuModel = 'X9000'), 'cluster.pools[0].gpuModel: unknown GPU model "X9000"'],
    ['fractional count', (s) => (s.cluster.pools[1].count = 1.5), 'cluster.pools[1].count: must be an integer'],
    ['bad topology', (s) => (s.cluster.pools[0].topology = 'ring'), 'cluster.pools[0].topology: must be one of nvswitch, nvlink-pairs, pcie'],
    ['shared multi-GPU batch', (s) => Object.assign(s.workloads[2], { gpus: 2, gpuMilli: 500 }), 'workloads[2].gpuMilli: must be 1000 when gpus > 1'],
    ['unknown profile', (s) => (s.schedulers[0].profile = 'magic'), 'schedulers[0].profile: unknown profile "magic"'],
    ['unknown knob', (s) => (s.schedulers[0].options = { colour: 'red' }), 'schedulers[0].options.colour: unknown option for profile k8s-default'],
    ['bad knob value', (s) => (s.schedulers[0].options = { strategy: 'Random' }), 'schedulers[0].options.strategy: must be one of LeastAllocated, MostAllocated'],
    ['missing sim', (s) => delete s.sim, 'sim: must be an object'],
    ['typo field', (s) => (s.workloads[0].worker = 2), 'workloads[0].worker: unknown field'],
    ['demand points out of order', (s) => (s.workloads[1].demand = { shape: 'points', points: [{ hour: 5, qps: 1 }, { hour: 2, qps: 3 }] }), 'workloads[1].demand.points[1].hour: must be greater than the previous point\'s hour'],
    ['NUMA split', (s) => (s.cluster.pools[0].numaNodes = 3), 'cluster.pools[0].numaNodes: 8 GPUs cannot be split evenly over 3 NUMA nodes'],
  ];
  it.each(cases)('names the field: %s', (_name, mutate, message) => {
    const s = base();
    mutate(s);
    const r = parseScenario(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.some((e) => e.startsWith(message))).toBe(true);
  });

  it('refuses a scenario from a newer version with a clear message', () => {
    const s = { ...base(), version: SCENARIO_VERSION + 1 };
    const r = parseScenario(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/newer Slicebench/);
  });

  it('refuses the wrong kind', () => {
    const r = parseScenario({ kind: 'something/else', version: 1 });
    expect(r.ok).toBe(false);
  });

  it('does not modify its input', () => {
    const s = base();
    const copy = structuredClone(s);
    parseScenario(s);
    expect(s).toEqual(copy);
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const r = parseScenario(v);
      expect(typeof r.ok).toBe('boolean');
    }), { numRuns: 2000 });
  });

  it('never throws on mutated scenarios', () => {
    const paths = ['cluster', 'workloads', 'schedulers', 'sim', 'name', 'queues', 'existingPods', 'catalog'];
    fc.assert(fc.property(fc.constantFrom(...paths), fc.jsonValue(), fc.nat(5), (key, value, wi) => {
      const s = base();
      if (wi < s.workloads.length && key === 'workloads') s.workloads[wi] = value;
      else s[key] = value;
      const r = parseScenario(s);
      expect(typeof r.ok).toBe('boolean');
    }), { numRuns: 1500 });
  });
});

describe('parseScenario: scenario-wide limits (issue 19)', () => {
  const base = () => load('small-mixed.json');
  const cases: [string, (s: any) => void, string][] = [
    // The 537-byte scenario: each field in range, 10,000,000,000 pods in all (ran V8 out of memory before).
    ['10,000 workers × 1,000,000 repeats', (s) => Object.assign(s.workloads[0], { workers: 10_000, repeat: 1_000_000, everyS: 60 }), 'workloads[0]: workers 10,000 × repeat 1,000,000 make the scenario create up to 10,000,000,'],
    ['batch counts summed over workloads', (s) => {
      s.workloads[2].count = 300_000;
      s.workloads.push({ ...s.workloads[2], name: 'more', count: 300_000 });
    }, 'workloads[2]: count 300,000 make the scenario create up to 600,'],
    ['100,000 inference replicas', (s) => (s.workloads[1].maxReplicas = 100_000), 'workloads[1].maxReplicas: must be ≤ 10000'],
    ['agent bursts over the run', (s) => Object.assign(s.workloads[3], { count: 100_000, burstsPerHour: 1000 }), 'workloads[3]: count 100,000 × burstsPerHour 1000 × 24.0 h schedule about'],
    ['metric samples', (s) => Object.assign(s.sim, { durationS: 366 * 86400, metricsStepS: 1 }), 'sim.metricsStepS: too small for the duration (more than 100,000 samples'],
  ];
  it.each(cases)('names the path and the limit: %s', (_name, mutate, message) => {
    const s = base();
    mutate(s);
    const r = parseScenario(s);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.find((e) => e.startsWith(message)) ?? r.errors).toMatch(/limit|≤/);
    }
  });

  it('accepts a scenario just under the pod limit', () => {
    const s = base();
    Object.assign(s.workloads[0], { workers: 100, repeat: 4000, everyS: 60 });
    const r = parseScenario(s);
    expect(r.ok ? [] : r.errors).toEqual([]);
  });
});

describe('parseScenario: existing pods against their nodes', () => {
  // small-mixed: nodes h100-0, h100-1 (8 × H100), l4-0 … l4-3 (4 × L4, 48000 milli-CPU, 196608 MiB).
  const base = () => load('small-mixed.json');
  const pod = (node: string, gpus: object[] = [], cpuMilli = 1000, memMiB = 1024) => ({ name: `p-${node}`, node, cpuMilli, memMiB, gpus });
  const cases: [string, (s: any) => void, string][] = [
    ['an unknown node', (s) => (s.existingPods = [pod('nowhere')]), 'existingPods[0].node: no node named "nowhere" (nodes are named <pool>-<index>, e.g. h100-0)'],
    ['a GPU the node lacks', (s) => (s.existingPods = [pod('l4-0', [{ index: 5, gpuMilli: 100 }])]), 'existingPods[0].gpus[0].index: node l4-0 has no GPU 5'],
    ['a GPU listed twice', (s) => (s.existingPods = [pod('l4-0', [{ index: 0, gpuMilli: 100 }, { index: 0, gpuMilli: 100 }])]), 'existingPods[0].gpus[1].index: GPU 0 is listed twice'],
    [
      'a card over 1000 milli',
      (s) => (s.existingPods = [pod('h100-0', [{ index: 0, gpuMilli: 600 }]), pod('h100-0', [{ index: 0, gpuMilli: 600 }])]),
      'existingPods[1].gpus[0]: GPU 0 on h100-0 would be over 1000 milli (this entry books 600, the largest of its milli-GPU, memory and cores shares; 600 are booked already)',
    ],
    [
      // The same GPU in two pods: the second books 1000 milli on a card holding 500 (issue 19: it gave 150 %).
      'a GPU booked by two pods past the card',
      (s) => (s.existingPods = [pod('h100-0', [{ index: 1, gpuMilli: 500 }]), pod('h100-0', [{ index: 1, gpuMilli: 1000 }])]),
      'existingPods[1].gpus[0]: GPU 1 on h100-0 would be over 1000 milli (this entry books 1000, the largest of its milli-GPU, memory and cores shares; 500 are booked already)',
    ],
    [
      // A whole GPU books all of the card, so 1 MiB more (a share of ceil(1·1000/24576) = 1 milli) is too much.
      'memory beside a whole GPU',
      (s) => (s.existingPods = [pod('l4-0', [{ index: 2, gpuMilli: 1000 }]), pod('l4-0', [{ index: 2, gpuMilli: 0, gpuMemMiB: 1 }])]),
      'existingPods[1].gpus[0]: GPU 2 on l4-0 would be over 1000 milli (this entry books 1, the largest of its milli-GPU, memory and cores shares; 1000 are booked already)',
    ],
    [
      // 100 cores is a share of 100·10 = 1000 milli even with gpuMilli 0; the next 100 milli do not fit.
      'a cores share over the card',
      (s) => (s.existingPods = [pod('l4-0', [{ index: 3, gpuMilli: 0, gpuCores: 100 }]), pod('l4-0', [{ index: 3, gpuMilli: 100 }])]),
      'existingPods[1].gpus[0]: GPU 3 on l4-0 would be over 1000 milli (this entry books 100, the largest of its milli-GPU, memory and cores shares; 1000 are booked already)',
    ],
    [
      // 12289 MiB of an L4's 24576 is a share of ceil(12289·1000/24576) = 501 milli; with 500 more: 1001.
      'a memory share over the card',
      (s) => (s.existingPods = [pod('l4-1', [{ index: 0, gpuMilli: 10, gpuMemMiB: 12289 }]), pod('l4-1', [{ index: 0, gpuMilli: 500 }])]),
      'existingPods[1].gpus[0]: GPU 0 on l4-1 would be over 1000 milli (this entry books 500, the largest of its milli-GPU, memory and cores shares; 501 are booked already)',
    ],
    ['a card over its memory', (s) => (s.existingPods = [pod('l4-0', [{ index: 0, gpuMilli: 100, gpuMemMiB: 9_000_000 }])]), 'existingPods[0].gpus[0]: GPU 0 on l4-0 would be over its memory'],
    [
      'a card over its memory (catalog override)',
      (s) => {
        s.catalog = { L4: { memMiB: 1000 } };
        s.existingPods = [pod('l4-0', [{ index: 0, gpuMilli: 100, gpuMemMiB: 2000 }])];
      },
      'existingPods[0].gpus[0]: GPU 0 on l4-0 would be over its memory',
    ],
    [
      'two cores shares over the card (60 cores = 600 milli each)',
      (s) => (s.existingPods = [pod('l4-0', [{ index: 0, gpuMilli: 100, gpuCores: 60 }]), pod('l4-0', [{ index: 0, gpuMilli: 100, gpuCores: 60 }])]),
      'existingPods[1].gpus[0]: GPU 0 on l4-0 would be over 1000 milli (this entry books 600, the largest of its milli-GPU, memory and cores shares; 600 are booked already)',
    ],
    ['a node over its CPU', (s) => (s.existingPods = [pod('l4-0', [], 50_000)]), 'existingPods[0].cpuMilli: node l4-0 has only 48000 milli-CPU free'],
    ['a node over its memory', (s) => (s.existingPods = [pod('l4-1', [], 1000, 100_000), pod('l4-1', [], 1000, 100_000)]), 'existingPods[1].memMiB: node l4-1 has only 96608 MiB free'],
    [
      'a node over its pod count',
      (s) => {
        s.cluster.pools[1].maxPods = 1;
        s.existingPods = [pod('l4-2'), pod('l4-2')];
      },
      'existingPods[1]: node l4-2 already holds its maximum of 1 pods',
    ],
  ];
  it.each(cases)('names the path: %s', (_name, mutate, message) => {
    const s = base();
    mutate(s);
    const r = parseScenario(s);
    expect(r.ok ? [] : r.errors).toContain(message);
  });

  it('accepts pods that fit, and setting them up binds them', () => {
    const s = base();
    s.existingPods = [pod('h100-1', [{ index: 3, gpuMilli: 500, gpuMemMiB: 1000, gpuCores: 50 }]), pod('h100-1', [{ index: 3, gpuMilli: 500, gpuCores: 50 }])];
    const r = parseScenario(s);
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (r.ok) expect(buildRun(r.scenario).existingPods.map((p) => p.binding?.gpus[0].gpu)).toEqual([3, 3]);
  });

  it('a scenario that validates never fails at setup', () => {
    const nodes = ['h100-0', 'h100-1', 'l4-0', 'l4-3', 'l4-4'];
    const gpu = fc.record({ index: fc.nat(9), gpuMilli: fc.nat(1000), gpuMemMiB: fc.nat(90_000), gpuCores: fc.nat(100) });
    const existing = fc.record({ node: fc.constantFrom(...nodes), cpuMilli: fc.nat(130_000), memMiB: fc.nat(1_100_000), gpus: fc.array(gpu, { maxLength: 3 }) });
    fc.assert(fc.property(fc.array(existing, { maxLength: 4 }), fc.constantFrom(0, 1, 2, 3, 4, 5), (pods, profile) => {
      const s = base();
      s.schedulers = [{ profile: ['k8s-default', 'k8s-timeslicing', 'hami-binpack', 'volcano', 'fgd', 'packing'][profile] }];
      s.existingPods = pods.map((p, i) => ({ name: `e${i}`, ...p }));
      const r = parseScenario(s);
      if (r.ok) expect(buildRun(r.scenario).existingPods).toHaveLength(pods.length);
    }), { numRuns: 300 });
  });
});
