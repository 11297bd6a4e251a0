/**
 * Every exported object against the real API schema: Volcano and KubeRay kinds against their CRDs'
 * openAPIV3Schema in ../shared/schemas/ (ajv), core kinds with kubernetes-models. Then the round trip:
 * export → import gives back the cluster and the batch workloads (fast-check over generated scenarios).
 */
import { readFileSync, readdirSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { ConfigMap, Node, Pod } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { EXPORT_TARGETS, type Manifest } from '../../../src/io/export/exportContext.ts';
import { exportFiles, exportManifests, toYamlStream } from '../../../src/io/export/exportManifests.ts';
import { importKubeSnapshot } from '../../../src/io/kube/importSnapshot.ts';
import type { BatchWorkload, NodePoolSpec, Scenario } from '../../../src/scenario/types.ts';
import { parseScenario } from '../../../src/scenario/validate.ts';
import { scenarioArb } from '../../scenario/arbitraries.ts';

const SCHEMAS = new URL('../../../../shared/schemas/', import.meta.url);
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

/** The openAPIV3Schema of a CRD file's served version. */
function crdValidator(file: string, version: string): ValidateFunction {
  const crd = parse(readFileSync(new URL(file, SCHEMAS), 'utf8')) as { spec: { versions: { name: string; schema: { openAPIV3Schema: object } }[] } };
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`${file}: no version ${version}`);
  return ajv.compile(v.schema.openAPIV3Schema);
}

const CRDS: Record<string, ValidateFunction> = {
  'batch.volcano.sh/v1alpha1/Job': crdValidator('volcano-batch.volcano.sh_jobs.yaml', 'v1alpha1'),
  'scheduling.volcano.sh/v1beta1/PodGroup': crdValidator('volcano-scheduling.volcano.sh_podgroups.yaml', 'v1beta1'),
  'scheduling.volcano.sh/v1beta1/Queue': crdValidator('volcano-scheduling.volcano.sh_queues.yaml', 'v1beta1'),
  'ray.io/v1/RayCluster': crdValidator('kuberay-ray.io_rayclusters.yaml', 'v1'),
};

type Model = { new (o: object): { validate(): void } };
const CORE: Record<string, Model> = {
  'v1/Node': Node as unknown as Model,
  'v1/Pod': Pod as unknown as Model,
  'v1/ConfigMap': ConfigMap as unknown as Model,
  'apps/v1/Deployment': Deployment as unknown as Model,
  'batch/v1/Job': Job as unknown as Model,
  'scheduling.k8s.io/v1/PriorityClass': PriorityClass as unknown as Model,
};

/** Problems of one object against its schema ([] = valid); an unknown kind is a problem too. */
function schemaProblems(o: Manifest): string[] {
  const key = `${o.apiVersion}/${o.kind}`;
  const crd = CRDS[key];
  if (crd) return crd(o as unknown) ? [] : (crd.errors ?? []).map((e) => `${key} ${String((o as Manifest).metadata.name)}: ${e.instancePath} ${e.message}`);
  const model = CORE[key];
  if (!model) return [`${key}: no schema to check it against`];
  try {
    new model(o).validate();
    return [];
  } catch (e) {
    return [`${key} ${String(o.metadata.name)}: ${(e as Error).message}`];
  }
}

function presets(): Scenario[] {
  const dir = new URL('../../../public/scenarios/', import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'index.json')
    .map((f) => {
      const r = parseScenario(JSON.parse(readFileSync(new URL(f, dir), 'utf8')));
      if (!r.ok) throw new Error(`${f}: ${r.errors.join('; ')}`);
      return r.scenario;
    });
}

describe('exported manifests validate against the real schemas', () => {
  const all = presets();

  it.each(EXPORT_TARGETS)('every preset, target %s', (target) => {
    const problems: string[] = [];
    for (const s of all) for (const o of exportManifests(s, target).objects) problems.push(...schemaProblems(o).map((p) => `${s.name}: ${p}`));
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('generated scenarios, every target', () => {
    fc.assert(
      fc.property(scenarioArb, fc.constantFrom(...EXPORT_TARGETS), (s, target) => {
        const problems = exportManifests(s, target).objects.flatMap(schemaProblems);
        expect(problems.slice(0, 5)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('a schema check catches a wrong field (the check is not vacuous)', () => {
    const q: Manifest = { apiVersion: 'scheduling.volcano.sh/v1beta1', kind: 'Queue', metadata: { name: 'q' }, spec: { weight: 'heavy' } };
    expect(schemaProblems(q).join()).toContain('/spec/weight');
    const n: Manifest = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: { taints: [{ key: 1 }] } };
    expect(schemaProblems(n).join()).toContain('taints');
  });
});

describe('what each target writes', () => {
  const s = presets().find((p) => p.workloads.some((w) => w.kind === 'training')) ?? presets()[0];

  it('kwok: fake nodes with GPU capacity and GFD labels', () => {
    const { objects } = exportManifests(s, 'kwok');
    expect(objects.every((o) => o.kind === 'Node')).toBe(true);
    const gpuNode = objects.find((o) => (o.status as { allocatable: Record<string, string> }).allocatable['nvidia.com/gpu'] !== undefined)!;
    expect(gpuNode.metadata.annotations).toMatchObject({ 'kwok.x-k8s.io/node': 'fake' });
    expect(Object.keys(gpuNode.metadata.labels as object)).toEqual(expect.arrayContaining(['nvidia.com/gpu.product', 'nvidia.com/gpu.memory', 'nvidia.com/gpu.count']));
  });

  it('hami: registration annotations, split capacity, Helm values', () => {
    const r = exportManifests(s, 'hami');
    const node = r.objects.find((o) => o.kind === 'Node' && (o.metadata.annotations as Record<string, string>)['hami.io/node-nvidia-register'])!;
    const count = Number((node.metadata.labels as Record<string, string>)['nvidia.com/gpu.count']);
    expect((node.status as { allocatable: Record<string, string> }).allocatable['nvidia.com/gpu']).toBe(String(count * 10));
    expect(r.files.map((f) => f.name)).toEqual(['hami-values.yaml', 'kube-scheduler-config.yaml']);
    expect(parse(r.files[0].text)).toMatchObject({ devicePlugin: { deviceSplitCount: 10 }, scheduler: { defaultSchedulerPolicy: { nodeSchedulerPolicy: expect.any(String) } } });
  });

  it('volcano: gangs as vcjobs with minAvailable, queues, scheduler.conf', () => {
    const r = exportManifests(s, 'volcano');
    const vcjob = r.objects.find((o) => o.apiVersion === 'batch.volcano.sh/v1alpha1')!;
    expect(vcjob.spec).toMatchObject({ schedulerName: 'volcano', minAvailable: expect.any(Number) });
    const conf = r.objects.find((o) => o.kind === 'ConfigMap')!;
    const volcanoConf = parse((conf.data as Record<string, string>)['volcano-scheduler.conf']);
    expect(volcanoConf).toMatchObject({ actions: expect.stringContaining('allocate'), tiers: expect.any(Array) });
    // the default victim tiers are the Helm chart's: gang and drf do not vote in preempt
    expect(volcanoConf.tiers[0].plugins[1]).toEqual({ name: 'gang', enablePreemptable: false });
    expect(volcanoConf.tiers[1].plugins[1]).toEqual({ name: 'drf', enablePreemptable: false });
  });

  it('volcano-hami: Volcano vGPU resource names and registration, read back by import', () => {
    const vg: Scenario = { ...s, schedulers: [{ profile: 'volcano-hami' }], workloads: [{ kind: 'batch', name: 'nb', count: 2, cpuMilli: 1000, memMiB: 1024, gpus: 1, gpuMilli: 300, gpuMemMiB: 4096, durationS: 60, arrivalS: 0 }] };
    const r = exportManifests(vg, 'volcano');
    const node = r.objects.find((o) => o.kind === 'Node' && (o.metadata.annotations as Record<string, string>)['volcano.sh/node-vgpu-register'])!;
    expect(JSON.parse((node.metadata.annotations as Record<string, string>)['volcano.sh/node-vgpu-register'])[0]).toMatchObject({ count: 10, devcore: 100 });
    const job = r.objects.find((o) => o.kind === 'Job')!;
    const limits = (job.spec as { template: { spec: { containers: { resources: { limits: Record<string, string> } }[] } } }).template.spec.containers[0].resources.limits;
    expect(limits).toEqual({ 'volcano.sh/vgpu-number': '1', 'volcano.sh/vgpu-memory': '4096', 'volcano.sh/vgpu-cores': '30' });
    const back = importKubeSnapshot(toYamlStream(r.objects)).scenario;
    expect(back.schedulers[0].profile).toBe('volcano-hami');
    expect(back.workloads).toEqual(vg.workloads);
    expect(back.cluster.pools.map(poolKey)).toEqual(vg.cluster.pools.filter((p) => p.count > 0).map(poolKey));
  });

  it('k8s: KubeSchedulerConfiguration with percentageOfNodesToScore and NodeResourcesFit weights', () => {
    const k8s: Scenario = { ...s, schedulers: [{ profile: 'k8s-default', options: { strategy: 'MostAllocated', gpuWeight: 5, percentageOfNodesToScore: 40 } }] };
    const cfg = parse(exportManifests(k8s, 'k8s').files[0].text);
    expect(cfg).toMatchObject({ apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration', percentageOfNodesToScore: 40 });
    expect(cfg.profiles[0].pluginConfig[0].args.scoringStrategy).toEqual({ type: 'MostAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'nvidia.com/gpu', weight: 5 }] });
  });

  it('one stream, or one file per kind; both parse back as YAML', () => {
    const r = exportManifests(s, 'volcano');
    expect(parseAllDocuments(toYamlStream(r.objects)).length).toBe(r.objects.length);
    const names = exportFiles(r).map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['nodes.yaml', 'vcjobs.yaml', 'configmaps.yaml']));
  });
});

/** A pool as the importer can give it back (a CPU pool's model is not on its nodes). */
function poolKey(p: NodePoolSpec): NodePoolSpec {
  return { ...p, gpuModel: p.gpusPerNode > 0 ? p.gpuModel : '', maxPods: p.maxPods ?? 110 };
}
function batchKey(w: BatchWorkload): BatchWorkload {
  const { gpuModels, ...rest } = w;
  return w.gpus > 0 && gpuModels && gpuModels.length ? { ...rest, gpuModels } : rest;
}

describe('round trip: export → import', () => {
  it.each(['k8s', 'hami', 'volcano'] as const)('gives back the cluster and batch workloads (%s)', (target) => {
    fc.assert(
      fc.property(scenarioArb, (generated) => {
        const s: Scenario = { ...generated, cluster: { pools: generated.cluster.pools.filter((p) => p.count > 0) }, workloads: generated.workloads.filter((w) => w.kind === 'batch') };
        fc.pre(s.cluster.pools.length > 0);
        const back = importKubeSnapshot(toYamlStream(exportManifests(s, target).objects)).scenario;
        expect(back.cluster.pools.map(poolKey)).toEqual(s.cluster.pools.map(poolKey));
        expect((back.workloads as BatchWorkload[]).map(batchKey)).toEqual((s.workloads as BatchWorkload[]).map(batchKey));
      }),
      { numRuns: 40 },
    );
  });

  it('gives back running pods with their bookings (the mixed snapshot, hami and k8s)', () => {
    const first = importKubeSnapshot(readFileSync(new URL('../../fixtures/kube/mixed.yaml', import.meta.url), 'utf8')).scenario;
    for (const target of ['hami', 'k8s'] as const) {
      const again = importKubeSnapshot(toYamlStream(exportManifests(first, target).objects)).scenario;
      expect(again.cluster).toEqual(first.cluster);
      expect(again.existingPods).toEqual(first.existingPods);
      expect(again.workloads).toEqual(first.workloads);
    }
  });
});
