import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { parseScenario } from '../../src/scenario/validate.ts';
import { SCENARIO_VERSION } from '../../src/scenario/types.ts';

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
