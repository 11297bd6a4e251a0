// @vitest-environment node
/**
 * Init containers end to end through the CLI (issue 13): a workload's `initContainers` make each pod request
 * max(the app container, each init container) per resource, as kube-scheduler aggregates a pod's requests
 * (k8s.io/component-helpers resource/helpers.go AggregateContainerRequests); bad fields are named; export writes them.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { capture } from './captureIO.ts';

const tmp = mkdtempSync(join(tmpdir(), 'slicebench-init-'));

/** One 8-CPU node without GPUs and 4 batch pods of 1 CPU each, with the given init containers. */
function scenarioFile(name: string, initContainers?: unknown): string {
  const batch: Record<string, unknown> = { kind: 'batch', name: 'etl', count: 4, cpuMilli: 1000, memMiB: 1024, gpus: 0, gpuMilli: 0, durationS: 3600, arrivalS: 0 };
  if (initContainers !== undefined) batch.initContainers = initContainers;
  const s = {
    kind: 'slicebench/scenario',
    version: 1,
    name,
    cluster: { pools: [{ name: 'cpu', count: 1, gpuModel: 'A100-80G', gpusPerNode: 0, cpuMilli: 8000, memMiB: 65536, topology: 'pcie', numaNodes: 1 }] },
    workloads: [batch],
    schedulers: [{ profile: 'k8s-default' }],
    sim: { durationS: 600, seed: 1, metricsStepS: 60 },
  };
  const path = join(tmp, `${name}.json`);
  writeFileSync(path, JSON.stringify(s));
  return path;
}

async function runJson(path: string): Promise<{ summary: { podsBound: number; podsPendingAtEnd: number } }> {
  const io = capture();
  expect(await main(['run', path, '--json'], io), io.stderr).toBe(0);
  return JSON.parse(io.stdout);
}

describe('workload initContainers', () => {
  it('a pod requests the larger of its app container and each init container', async () => {
    // without init containers: 4 × 1000 m fit the 8000 m node
    expect((await runJson(scenarioFile('plain'))).summary).toMatchObject({ podsBound: 4, podsPendingAtEnd: 0 });
    // an init container of 3000 m: each pod requests max(1000, 3000) = 3000 m, so floor(8000 / 3000) = 2 run
    const big = await runJson(scenarioFile('init', [{ name: 'fetch-weights', cpuMilli: 3000 }, { memMiB: 512 }]));
    expect(big.summary).toMatchObject({ podsBound: 2, podsPendingAtEnd: 2 });
    // a smaller init container changes nothing: max(1000, 500) = 1000
    expect((await runJson(scenarioFile('small-init', [{ cpuMilli: 500, memMiB: 4096 }]))).summary).toMatchObject({ podsBound: 4, podsPendingAtEnd: 0 });
  });

  it.each([
    [[{ cpuMilli: -1 }], /workloads\[0\]\.initContainers\[0\]\.cpuMilli/],
    [[{ memMiB: 'lots' }], /workloads\[0\]\.initContainers\[0\]\.memMiB/],
    [[{ cpuMilli: 1, gpus: 1 }], /workloads\[0\]\.initContainers\[0\].*gpus/],
    [{ cpuMilli: 1 }, /workloads\[0\]\.initContainers/],
  ])('validate names the bad field: %j', async (init, message) => {
    const io = capture();
    expect(await main(['validate', scenarioFile('bad', init)], io)).toBe(2);
    expect(io.stderr).toMatch(message);
  });

  it('export writes the init containers into the pod template', async () => {
    const io = capture();
    expect(await main(['export', scenarioFile('export', [{ name: 'fetch-weights', cpuMilli: 3000 }]), '--as', 'k8s'], io), io.stderr).toBe(0);
    expect(io.stdout).toMatch(/initContainers:\s*\n\s*- name: fetch-weights[\s\S]*?cpu: "3"/);
  });
});
