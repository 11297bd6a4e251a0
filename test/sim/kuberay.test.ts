import { describe, expect, it } from 'vitest';
import type { RayClusterWorkload, Scenario } from '../../src/scenario/types.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import { Simulation, simulate } from '../../src/sim/simulate.ts';
import { rayGangMin } from '../../src/sim/setup.ts';

const GiB = 1024;

function rayScenario(profile: string, gpus: number, ray: Partial<RayClusterWorkload> = {}): Scenario {
  const s = {
    kind: 'slicebench/scenario',
    version: 1,
    name: 'ray',
    cluster: { pools: [{ name: 'n', count: 1, gpuModel: 'A100-80G', gpusPerNode: gpus, cpuMilli: 128000, memMiB: 1024 * GiB, topology: 'nvswitch', numaNodes: 1 }] },
    workloads: [
      {
        kind: 'raycluster',
        name: 'ray',
        head: { cpuMilli: 2000, memMiB: 8 * GiB },
        workerGroups: [{ name: 'gpu', gpusPerWorker: 1, gpuMemMiB: 20 * GiB, cpuMilli: 4000, memMiB: 16 * GiB, minReplicas: 1, maxReplicas: 6 }],
        tasksPerHour: 360,
        taskDurationS: 60,
        idleTimeoutS: 60,
        ...ray,
      },
    ],
    schedulers: [{ profile }],
    sim: { durationS: 3 * 3600, seed: 3, metricsStepS: 60 },
  };
  const r = parseScenario(s);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

describe('KubeRay RayCluster with the Ray autoscaler', () => {
  it('scales workers up for pending tasks and back down after idleTimeoutSeconds', () => {
    const s = rayScenario('k8s-default', 8);
    const sim = new Simulation(s);
    let maxWorkers = 0;
    for (let t = 60; !sim.runUntil(t); t += 60) {
      const workers = sim.pods.filter((p) => p.phase === 'bound' && p.name.startsWith('ray-gpu-')).length;
      maxWorkers = Math.max(maxWorkers, workers);
    }
    const r = sim.result();
    // 360 tasks/h × 60 s each = 6 busy workers on average at most bursts: the autoscaler goes above min (1).
    expect(maxWorkers).toBeGreaterThan(1);
    expect(maxWorkers).toBeLessThanOrEqual(6);
    expect(r.summary.ray.tasksDone).toBeGreaterThan(500);
    // Workers come and go (idle 60 s → removed), so more pods are created than maxReplicas.
    expect(r.summary.podsCreated).toBeGreaterThan(7);
  });

  it('with no tasks, idle workers are removed down to minReplicas and never below', () => {
    const s = rayScenario('k8s-default', 8, { tasksPerHour: 0, workerGroups: [{ name: 'gpu', gpusPerWorker: 1, gpuMemMiB: 20 * GiB, cpuMilli: 4000, memMiB: 16 * GiB, minReplicas: 2, maxReplicas: 6, replicas: 5 }] });
    const sim = new Simulation(s);
    sim.runUntil(3600);
    expect(sim.pods.filter((p) => p.phase === 'bound' && p.name.startsWith('ray-gpu-')).length).toBe(2);
  });

  it('gang size under Volcano is 1 + Σ minReplicas', () => {
    const s = rayScenario('volcano', 8);
    expect(rayGangMin(s.workloads[0] as RayClusterWorkload)).toBe(2);
  });

  it('Volcano places the RayCluster all-or-nothing; the default scheduler places it partly', () => {
    // minReplicas 3 GPU workers on a node with 2 GPUs: the gang (head + 3 workers) can never be complete.
    const groups = [{ name: 'gpu', gpusPerWorker: 1, gpuMemMiB: 20 * GiB, cpuMilli: 4000, memMiB: 16 * GiB, minReplicas: 3, maxReplicas: 4 }];
    const k8s = new Simulation(rayScenario('k8s-default', 2, { workerGroups: groups, tasksPerHour: 0 }));
    k8s.runUntil(600);
    expect(k8s.pods.filter((p) => p.phase === 'bound').map((p) => p.name).sort()).toEqual(['ray-gpu-0', 'ray-gpu-1', 'ray-head']);
    const vc = new Simulation(rayScenario('volcano', 2, { workerGroups: groups, tasksPerHour: 0 }));
    vc.runUntil(600);
    expect(vc.pods.filter((p) => p.phase === 'bound')).toEqual([]);
  });

  it('the trio preset runs under k8s-default and volcano-hami and is deterministic', () => {
    const s = rayScenario('volcano-hami', 8);
    expect(simulate(s).traceHash).toBe(simulate(s).traceHash);
  });
});
