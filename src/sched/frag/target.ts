/**
 * The target workload of FGD: the "typical pods" a cluster expects, as classes with popularity weights
 * (domain.md §6.4; hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641 pkg/utils/frag.go GetTypicalPods with
 * the experiments' config isInvolvedCpuPods: true, podPopularityThreshold: 95, podIncreaseStep: 1).
 */
import type { PodRequest } from '../../model/pod.ts';
import { GPU_MILLI } from '../../model/units.ts';
import type { Scenario } from '../../scenario/types.ts';

/** A pod shape as FGD sees it: memory is ignored. */
export interface PodShape {
  cpuMilli: number;
  /** GPU share per GPU, milli (1000 = whole GPU); 0 for a CPU-only pod. */
  gpuMilli: number;
  gpuCount: number;
  /** Allowed GPU models; empty = any. */
  models: readonly string[];
}

/** One class m of the target workload, with its popularity p_m. */
export interface TargetClass extends PodShape {
  /** p_m: share of the target workload (the weights of a workload sum to 1). */
  weight: number;
  /** Pods of this shape in the source (0 when the class was given directly). */
  count: number;
}

export interface TargetWorkload {
  classes: TargetClass[];
  /** Pods in the source the classes were built from, and how many of them the classes cover. */
  totalPods: number;
  coveredPods: number;
}

/** A CPU-only class: it asks no GPU (the artifact tests MilliGpu == 0). */
export function isCpuOnly(shape: PodShape): boolean {
  return shape.gpuMilli === 0 || shape.gpuCount === 0;
}

/** The grouping key of a shape: (cpu, gpu milli, gpu count, raw model list). */
export function shapeId(shape: PodShape): string {
  return `${shape.cpuMilli}/${shape.gpuMilli}/${shape.gpuCount}/${shape.models.join('|')}`;
}

/**
 * "Larger shape first" for equal frequencies, as the artifact's PodResource.Less reversed: by CPU, then GPU
 * milli, then GPU count, then the model string (descending).
 */
function largerFirst(a: PodShape, b: PodShape): number {
  if (a.cpuMilli !== b.cpuMilli) return b.cpuMilli - a.cpuMilli;
  if (a.gpuMilli !== b.gpuMilli) return b.gpuMilli - a.gpuMilli;
  if (a.gpuCount !== b.gpuCount) return b.gpuCount - a.gpuCount;
  const sa = a.models.join('|');
  const sb = b.models.join('|');
  return sa < sb ? 1 : sa > sb ? -1 : 0;
}

/**
 * Typical pods: group shapes, sort by frequency (ties: larger shapes first), take groups until they cover at
 * least `coveragePct` % of the pods (CPU-only included), and renormalize the weights of the taken groups to 1.
 */
export function typicalPods(shapes: Iterable<PodShape>, coveragePct = 95): TargetWorkload {
  const groups = new Map<string, TargetClass>();
  let total = 0;
  for (const s of shapes) {
    total++;
    const key = shapeId(s);
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { cpuMilli: s.cpuMilli, gpuMilli: s.gpuMilli, gpuCount: s.gpuCount, models: [...s.models], weight: 0, count: 1 });
  }
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count || largerFirst(a, b));
  const taken: TargetClass[] = [];
  let covered = 0;
  // Integer form of the artifact's `cum < threshold·total/100` loop with a step of one group.
  for (const g of sorted) {
    if (covered * 100 >= coveragePct * total) break;
    taken.push(g);
    covered += g.count;
  }
  // Same float steps as the artifact: (count/total) / (covered/total).
  for (const g of taken) g.weight = g.count / total / (covered / total);
  return { classes: taken, totalPods: total, coveredPods: covered };
}

/** The FGD shape of a pod request. */
export function shapeOfRequest(r: PodRequest): PodShape {
  return { cpuMilli: r.cpuMilli, gpuMilli: r.gpuCount > 0 ? r.gpuMilli : 0, gpuCount: r.gpuMilli > 0 ? r.gpuCount : 0, models: r.gpuModels };
}

/** A target workload built from the requests of the pods a run creates (any scenario). */
export function targetWorkloadFromRequests(requests: Iterable<PodRequest>, coveragePct = 95): TargetWorkload {
  const shapes: PodShape[] = [];
  for (const r of requests) shapes.push(shapeOfRequest(r));
  return typicalPods(shapes, coveragePct);
}

/** Share of one GPU for a pod that asks compute in percent (HAMi gpucores): percent × 10, whole when unset. */
function milliOfCores(cores: number): number {
  return cores > 0 ? Math.min(GPU_MILLI, Math.max(1, cores * 10)) : GPU_MILLI;
}

/**
 * The pod shapes a scenario declares, one entry per pod it can create. Assumptions where the scenario does not
 * give a milli share: an inference replica or agent pod takes `gpuCores × 10` milli of one GPU (whole GPU when
 * unset); an inference service counts its `maxReplicas` pods.
 */
export function scenarioPodShapes(scenario: Scenario): PodShape[] {
  const out: PodShape[] = [];
  const push = (s: PodShape, n: number): void => {
    for (let i = 0; i < n; i++) out.push(s);
  };
  for (const w of scenario.workloads) {
    switch (w.kind) {
      case 'training':
        push({ cpuMilli: w.cpuMilli, gpuMilli: GPU_MILLI, gpuCount: w.gpusPerWorker, models: [] }, w.workers * (w.repeat ?? 1));
        break;
      case 'inference':
        push({ cpuMilli: w.cpuMilli, gpuMilli: milliOfCores(w.gpuCores), gpuCount: 1, models: [] }, w.maxReplicas);
        break;
      case 'agent': {
        const gpu = w.gpuCores > 0 || w.gpuMemMiB > 0;
        push({ cpuMilli: w.cpuMilli, gpuMilli: gpu ? milliOfCores(w.gpuCores) : 0, gpuCount: gpu ? 1 : 0, models: [] }, w.count);
        break;
      }
      case 'batch':
        push({ cpuMilli: w.cpuMilli, gpuMilli: w.gpus > 0 ? w.gpuMilli : 0, gpuCount: w.gpuMilli > 0 ? w.gpus : 0, models: w.gpuModels ?? [] }, w.count);
        break;
      case 'trace':
        for (const p of w.pods) out.push({ cpuMilli: p.cpuMilli, gpuMilli: p.numGpu > 0 ? p.gpuMilli : 0, gpuCount: p.gpuMilli > 0 ? p.numGpu : 0, models: p.gpuSpec ?? [] });
        break;
      case 'raycluster':
        // The head is CPU-only; each worker group counts at its largest size.
        push({ cpuMilli: w.head.cpuMilli, gpuMilli: 0, gpuCount: 0, models: [] }, 1);
        for (const g of w.workerGroups) push({ cpuMilli: g.cpuMilli, gpuMilli: g.gpusPerWorker > 0 ? GPU_MILLI : 0, gpuCount: g.gpusPerWorker, models: [] }, g.maxReplicas);
        break;
    }
  }
  return out;
}

/** The target workload of a scenario (typical pods of its declared shapes, 95 % coverage). */
export function targetWorkloadFromScenario(scenario: Scenario, coveragePct = 95): TargetWorkload {
  return typicalPods(scenarioPodShapes(scenario), coveragePct);
}
