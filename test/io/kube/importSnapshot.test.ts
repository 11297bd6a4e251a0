import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { importKubeSnapshot } from '../../../src/io/kube/importSnapshot.ts';
import { formatReport } from '../../../src/io/kube/report.ts';
import { KubeImportError } from '../../../src/io/kube/snapshot.ts';
import { parseScenario } from '../../../src/scenario/validate.ts';
import { simulate } from '../../../src/sim/simulate.ts';

const MIXED = readFileSync(new URL('../../fixtures/kube/mixed.yaml', import.meta.url), 'utf8');

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KubeImportError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

/** A minimal List around the given items (one plain node first unless the items carry nodes). */
function list(items: unknown[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}
const NODE = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { allocatable: { cpu: '8', memory: '32Gi', 'nvidia.com/gpu': '2' } } };

describe('importKubeSnapshot: the mixed cluster', () => {
  const { scenario, report } = importKubeSnapshot(MIXED, { file: 'mixed.yaml' });

  it('groups nodes into pools of identical shape with GFD, HAMi and zone data', () => {
    const pools = scenario.cluster.pools.map((p) => [p.gpuModel, p.gpusPerNode, p.count, p.numaNodes, p.topology, p.labels?.['topology.kubernetes.io/zone']]);
    expect(pools).toEqual([
      ['H100', 8, 2, 1, 'nvswitch', 'us-east-1a'],
      // HAMi registers 4 cards on NUMA 0 and 1: 4 GPUs, not the 40 split slots of nvidia.com/gpu.
      ['A10', 4, 1, 2, 'pcie', 'us-east-1b'],
      ['', 0, 1, 1, 'pcie', 'us-east-1b'],
      // 97,887 MiB (RTX PRO 6000, not in the catalog) is nearest the A100 80GB's 81,920 MiB, not the H100's NVML 81,559
      ['A100-80G', 2, 1, 1, 'pcie', undefined],
    ]);
    expect(scenario.cluster.pools[0]).toMatchObject({ cpuMilli: 191500, memMiB: Math.floor(2112356728 / 1024) });
  });

  it('books running pods where they run: whole GPUs, HAMi slices, init containers', () => {
    expect(scenario.existingPods).toEqual([
      { name: 'ml/trainer-0', node: report.nodeNames['gpu-a'], cpuMilli: 16000, memMiB: 131072, gpus: [{ index: 0, gpuMilli: 1000, gpuMemMiB: 81559, gpuCores: 100 }, { index: 1, gpuMilli: 1000, gpuMemMiB: 81559, gpuCores: 100 }] },
      { name: 'ml/notebook-1', node: report.nodeNames['hami-1'], cpuMilli: 2000, memMiB: 8192, gpus: [{ index: 2, gpuMilli: 300, gpuMemMiB: 6000, gpuCores: 30 }] },
      { name: 'default/web', node: report.nodeNames['cpu-1'], cpuMilli: 4000, memMiB: 1024 },
    ]);
  });

  it('turns pending pods into batch workloads by owner, with priority, queue and HAMi requests', () => {
    expect(scenario.workloads).toEqual([
      { kind: 'batch', name: 'ml/finetune', count: 2, cpuMilli: 8000, memMiB: 65536, gpus: 4, gpuMilli: 1000, durationS: 3600, arrivalS: 0, priority: 1000 },
      { kind: 'batch', name: 'serve/infer', count: 1, cpuMilli: 4000, memMiB: 32768, gpus: 1, gpuMilli: 500, gpuMemMiB: 10240, durationS: 3600, arrivalS: 0, queue: 'serving', annotations: { 'hami.io/gpu-scheduler-policy': 'binpack' } },
    ]);
  });

  it('reports what was mapped, approximated and ignored', () => {
    const text = formatReport(report);
    expect(text).toContain('5 node(s), 22 GPU(s) → 4 pool(s)');
    expect(text).toMatch(/nodes\/rtx-1: GPU product "NVIDIA-RTX-PRO-6000.*modelled as A100-80G/);
    expect(text).toContain('1 GPU(s) HAMi registers as unhealthy');
    expect(text).toContain('1 Secret(s): never read');
    expect(text).toContain('1 finished pod(s)');
  });

  it('never stores secrets or environment values', () => {
    const json = JSON.stringify({ scenario, report });
    expect(json).not.toContain('super-secret-env-value');
    expect(json).not.toContain('c2VjcmV0LXZhbHVl');
    expect(json).not.toContain('hf-token');
  });

  it('validates and runs', () => {
    const parsed = parseScenario(JSON.parse(JSON.stringify(scenario)));
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    const r = simulate(scenario);
    expect(r.summary).toBeDefined();
  });

  it('reads the JSON form the same as the YAML form', () => {
    expect(importKubeSnapshot(JSON.stringify(parse(MIXED))).scenario).toEqual(importKubeSnapshot(MIXED).scenario);
  });
});

describe('importKubeSnapshot: bad input names the object and field', () => {
  it('refuses what is not a List', () => {
    expect(errorOf(() => importKubeSnapshot('{"hello": 1}'))).toContain('not a Kubernetes List or object');
    expect(errorOf(() => importKubeSnapshot('{oops'))).toContain('invalid JSON');
    expect(errorOf(() => importKubeSnapshot('a: [1,'))).toContain('invalid YAML');
  });

  it('needs nodes, and nodes need allocatable', () => {
    expect(errorOf(() => importKubeSnapshot(list([])))).toContain('no Node objects');
    expect(errorOf(() => importKubeSnapshot(list([{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'bare' } }])))).toBe('nodes/bare: status.allocatable: missing (export nodes with -o json so their status is included)');
    expect(errorOf(() => importKubeSnapshot(list([{ ...NODE, status: { allocatable: { cpu: 'lots', memory: '1Gi' } } }])))).toContain('nodes/n1: status.allocatable.cpu: not a positive quantity: "lots"');
  });

  it('names a malformed GPU limit by pod, container and resource', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'default' }, spec: { containers: [{ name: 'c', resources: { limits: { 'nvidia.com/gpu': 'two' } } }] }, status: { phase: 'Pending' } };
    expect(errorOf(() => importKubeSnapshot(list([NODE, pod])))).toBe('pods/default/x: spec.containers[0].resources.limits["nvidia.com/gpu"]: not a whole number: "two"');
  });

  it('names malformed HAMi annotations', () => {
    const node = { ...NODE, metadata: { name: 'h', annotations: { 'hami.io/node-nvidia-register': 'GPU-1,10,abc:' } } };
    expect(errorOf(() => importKubeSnapshot(list([node])))).toBe('nodes/h: metadata.annotations["hami.io/node-nvidia-register"]: device 0: expected 7 or 9 comma-separated fields, got 3');
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', annotations: { 'hami.io/vgpu-devices-allocated': 'GPU-9,NVIDIA,100,0:;' } }, spec: { nodeName: 'n1', containers: [{ name: 'c' }] }, status: { phase: 'Running' } };
    expect(errorOf(() => importKubeSnapshot(list([NODE, pod])))).toContain('pods/ns/p: metadata.annotations["hami.io/vgpu-devices-allocated"]: GPU GPU-9 is not registered on node n1');
  });

  it('lists objects of unknown kinds as ignored, by kind', () => {
    const { report } = importKubeSnapshot(list([NODE, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]));
    expect(report.ignored).toContain('1 Widget object(s): kind not imported');
  });

  it('reads the 9-field and JSON HAMi registrations', () => {
    const nine = 'GPU-1,10,81920,100,NVIDIA-H100,0,true,0,hami-core:GPU-2,10,81920,100,NVIDIA-H100,0,true,1,hami-core:';
    const json = JSON.stringify([{ id: 'GPU-1', count: 10, devmem: 81920, devcore: 100, type: 'NVIDIA-H100', numa: 0, health: true }]);
    const n = (ann: string) => importKubeSnapshot(list([{ ...NODE, metadata: { name: 'h', annotations: { 'hami.io/node-nvidia-register': ann } } }])).scenario.cluster.pools[0];
    expect([n(nine).gpuModel, n(nine).gpusPerNode]).toEqual(['H100', 2]);
    expect([n(json).gpuModel, n(json).gpusPerNode]).toEqual(['H100', 1]);
  });
});

describe('importKubeSnapshot: controllers, Volcano and KubeRay objects', () => {
  const job = (name: string, extra: Record<string, unknown> = {}) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'ml' },
    spec: { parallelism: 3, template: { spec: { containers: [{ name: 'c', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { 'nvidia.com/gpu': '1' } } }] } }, ...extra },
  });

  it('a Job without pods becomes a batch workload of parallelism pods; one with pods is read from its pods', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b-1', namespace: 'ml', ownerReferences: [{ kind: 'Job', name: 'b' }] }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Pending' } };
    const { scenario } = importKubeSnapshot(list([NODE, job('a'), job('b'), pod]));
    expect(scenario.workloads.map((w) => [w.name, w.kind === 'batch' ? w.count : 0])).toEqual([['ml/b', 1], ['ml/a', 3]]);
  });

  it('names a bad template field by its path in the controller', () => {
    const bad = job('x', { template: { spec: { containers: [{ name: 'c', resources: { requests: { cpu: 'fast' } } }] } } });
    expect(errorOf(() => importKubeSnapshot(list([NODE, bad])))).toBe('jobs/ml/x: spec.template.spec.containers[0].resources.requests["cpu"]: not a quantity: "fast"');
  });

  it('reads Volcano queues and a PodGroup queue, and a RayCluster without pods', () => {
    const queue = { apiVersion: 'scheduling.volcano.sh/v1beta1', kind: 'Queue', metadata: { name: 'research' }, spec: { weight: 3, capability: { 'nvidia.com/gpu': '8', cpu: '64' }, reclaimable: true } };
    const pg = { apiVersion: 'scheduling.volcano.sh/v1beta1', kind: 'PodGroup', metadata: { name: 'pg', namespace: 'ml' }, spec: { minMember: 4, queue: 'research' } };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w-0', namespace: 'ml', annotations: { 'scheduling.k8s.io/group-name': 'pg' } }, spec: { containers: [{ name: 'c' }] } };
    const ray = {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: 'rc', namespace: 'ml' },
      spec: {
        autoscalerOptions: { idleTimeoutSeconds: 120 },
        headGroupSpec: { template: { spec: { containers: [{ name: 'h', resources: { requests: { cpu: '2', memory: '8Gi' } } }] } } },
        workerGroupSpecs: [{ groupName: 'gpu', minReplicas: 0, maxReplicas: 4, replicas: 1, template: { spec: { containers: [{ name: 'w', resources: { limits: { 'nvidia.com/gpu': '1' } } }] } } }],
      },
    };
    const { scenario, report } = importKubeSnapshot(list([NODE, queue, pg, pod, ray]));
    expect(scenario.queues).toEqual([{ name: 'research', weight: 3, capability: { gpuMilli: 8000, cpuMilli: 64000 }, reclaimable: true }]);
    expect(scenario.workloads[0]).toMatchObject({ name: 'ml/w-0', queue: 'research' });
    expect(scenario.workloads[1]).toMatchObject({ kind: 'raycluster', name: 'ml/rc', head: { cpuMilli: 2000, memMiB: 8192 }, idleTimeoutS: 120, workerGroups: [{ name: 'gpu', gpusPerWorker: 1, minReplicas: 0, maxReplicas: 4, replicas: 1 }] });
    expect(report.approximated.join()).toContain('Volcano gangs');
    expect(scenario.schedulers[0].profile).toBe('volcano');
  });
});
