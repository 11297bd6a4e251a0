/**
 * Conformance adapter for the FGD simulator's vectors (../shared/conformance/fgd.json, README §5;
 * hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641 pkg/utils/frag_test.go, gpu_packing_score_test.go).
 * It translates the neutral vocabulary (node `milli_cpu_left`, `gpu_milli_left`, `gpu_type`; typical pods with
 * `percentage`) into our types and calls the functions the profiles use: the fragment evaluator, the per-pod
 * GPU fragment, the packing score and the Bellman fragment (sched/frag/bellman.ts, the artifact's report only).
 */
import { nodeFragBellmanMilli } from '../sched/frag/bellman.ts';
import { gpuFragMilliForPod, nodeFragmentMilli, type FragNodeView } from '../sched/frag/fragment.ts';
import type { TargetClass, TargetWorkload } from '../sched/frag/target.ts';
import { packingScoreOf } from '../sched/plugins/fgdBaselines.ts';
import type { CaseOutcome, ConformanceAdapter, ConformanceCase } from './types.ts';

interface VectorNode {
  milli_cpu_left: number;
  gpu_milli_left: number[];
  gpu_type: string;
}
interface VectorPod {
  milli_cpu: number;
  milli_gpu_per_gpu: number;
  gpu_count: number;
  gpu_type: string | null;
  percentage?: number;
}

const SUPPORTED = new Set(['node_gpu_share_frag_amount', 'node_gpu_share_frag_amount_score', 'gpu_frag_milli_for_pod', 'gpu_packing_score', 'node_gpu_frag_bellman']);

function nodeView(n: VectorNode): FragNodeView {
  return { cpuLeftMilli: n.milli_cpu_left, gpuLeftMilli: n.gpu_milli_left, model: n.gpu_type };
}

/** `null` = any model; otherwise `|`-separated exact names. */
function models(gpuType: string | null): string[] {
  return gpuType === null || gpuType === '' ? [] : gpuType.split('|');
}

/** Typical pods with `percentage` (in percent) → a target workload with weight = percentage / 100. */
function target(pods: VectorPod[]): TargetWorkload {
  const classes: TargetClass[] = pods.map((p) => ({ cpuMilli: p.milli_cpu, gpuMilli: p.milli_gpu_per_gpu, gpuCount: p.gpu_count, models: models(p.gpu_type), weight: (p.percentage ?? 0) / 100, count: 0 }));
  return { classes, totalPods: 0, coveredPods: 0 };
}

function compare(expected: number, got: number, tolerance: number): CaseOutcome {
  return Math.abs(expected - got) <= tolerance ? { status: 'pass', detail: '' } : { status: 'fail', detail: `expected ${expected}, got ${got}` };
}

/** The FGD adapter. */
export const fgdAdapter: ConformanceAdapter = {
  project: 'fgd',
  supports(c: ConformanceCase): boolean {
    return SUPPORTED.has(c.input.function ?? '');
  },
  run(c: ConformanceCase): CaseOutcome {
    const fn = c.input.function ?? '';
    const node = c.input.node as VectorNode;
    const tol = typeof c.expected.tolerance === 'number' ? c.expected.tolerance : 0;
    switch (fn) {
      case 'node_gpu_share_frag_amount':
      case 'node_gpu_share_frag_amount_score': {
        const got = nodeFragmentMilli(nodeView(node), target(c.input.typical_pods as VectorPod[]));
        const key = fn === 'node_gpu_share_frag_amount' ? 'frag_amount_sum_except_q3' : 'score';
        return compare(c.expected[key] as number, got, tol);
      }
      case 'gpu_frag_milli_for_pod': {
        const pod = c.input.pod as VectorPod;
        return compare(c.expected.gpu_frag_milli as number, gpuFragMilliForPod(node.gpu_milli_left, pod.milli_gpu_per_gpu), tol);
      }
      case 'gpu_packing_score': {
        const pod = c.input.pod as VectorPod;
        return compare(c.expected.score as number, packingScoreOf(node.gpu_milli_left, pod.milli_gpu_per_gpu, pod.gpu_count), tol);
      }
      case 'node_gpu_frag_bellman': {
        const cumProb = typeof c.input.cum_prob === 'number' ? c.input.cum_prob : 1;
        const got = nodeFragBellmanMilli({ cpuLeftMilli: node.milli_cpu_left, gpuLeftMilli: node.gpu_milli_left, model: node.gpu_type }, target(c.input.typical_pods as VectorPod[]), new Map(), cumProb);
        return compare(c.expected.frag_milli_gpu as number, got, tol);
      }
      default:
        return { status: 'unsupported', detail: `function ${fn} is not modeled` };
    }
  },
};
