// @vitest-environment node
/**
 * kube-scheduler NodeResourcesFit / BalancedAllocation vectors (../shared/conformance/kube_noderesources.json)
 * through our plugin functions: one test per case; any failing supported case fails the suite.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kubeAdapter } from '../../src/conformance/kube.ts';
import { runCases } from '../../src/conformance/runner.ts';
import type { ConformanceCase } from '../../src/conformance/types.ts';

const FILE = fileURLToPath(new URL('../../../shared/conformance/kube_noderesources.json', import.meta.url));
const CASES = JSON.parse(readFileSync(FILE, 'utf8')) as ConformanceCase[];

describe('kube_noderesources.json', () => {
  it('holds the 32 vectors the README lists', () => {
    expect(CASES).toHaveLength(32);
  });

  for (const c of CASES) {
    it(`${c.id}: ${c.description ?? ''}`, () => {
      expect(kubeAdapter.supports(c)).toBe(true);
      const o = kubeAdapter.run(c);
      expect(o.detail).toBe('');
      expect(o.status).toBe('pass');
    });
  }

  it('the runner picks the kube adapter by file name and passes every case', () => {
    const r = runCases(CASES, FILE);
    expect({ passed: r.passed, failed: r.failed, unsupported: r.unsupported }).toEqual({ passed: 32, failed: 0, unsupported: 0 });
  });
});

describe('the adapter can fail', () => {
  const byId = (id: string): ConformanceCase => structuredClone(CASES.find((c) => c.id === id)!);

  it('reports expected and got when a score differs', () => {
    // fitscore-04, node1: cpu (4000000 − 3000000)·100/4000000 = 25, memory (10000 − 6000)·100/10000 = 40 → 32.
    const c = byId('fitscore-04');
    (c.expected.scores as Record<string, number>).node1 = 33;
    const o = kubeAdapter.run(c);
    expect(o.status).toBe('fail');
    expect(o.detail).toContain('"node1":33');
    expect(o.detail).toContain('"node1":32');
  });

  it('fails a config_error case when the weights are valid', () => {
    const c = byId('least-11');
    (c.input.resources as { weight: number }[])[0].weight = 1;
    expect(kubeAdapter.run(c).status).toBe('fail');
  });

  it('fails a Skip case when the pod requests something', () => {
    const c = byId('balanced-01');
    (c.input.pod as { containers: unknown[] }).containers = [{ requests: { cpu_milli: 1000 } }];
    expect(kubeAdapter.run(c).status).toBe('fail');
  });

  it('counts sidecar containers in the pod request', () => {
    // LeastAllocated, node cpu 4000 m, memory 10000 B; app container 1000 m / 2000 B, sidecar 1000 m / 3000 B:
    // cpu (4000 − 2000)·100/4000 = 50, memory (10000 − 5000)·100/10000 = 50 → 50.
    // Without the sidecar it would be cpu 75, memory 80 → 77.
    const c: ConformanceCase = {
      id: 'sidecar',
      source: 'test',
      input: {
        strategy: 'LeastAllocated',
        resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }],
        nodes: [{ name: 'n', allocatable: { cpu_milli: 4000, memory_bytes: 10000 } }],
        existing_pods: [],
        pod: { containers: [{ requests: { cpu_milli: 1000, memory_bytes: 2000 } }], sidecar_containers: [{ requests: { cpu_milli: 1000, memory_bytes: 3000 } }] },
      },
      expected: { scores: { n: 50 } },
    };
    expect(kubeAdapter.run(c)).toEqual({ status: 'pass', detail: '' });
  });

  it('leaves functions it does not model unsupported, never passed', () => {
    const c: ConformanceCase = { id: 'x', source: 'test', input: { function: 'node_gpu_frag_bellman' }, expected: {} };
    expect(kubeAdapter.supports(c)).toBe(false);
    const r = runCases([c], FILE);
    expect(r).toMatchObject({ passed: 0, failed: 0, unsupported: 1 });
  });
});
