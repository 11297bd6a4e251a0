/** Digests of one openb replay's decisions and stats (test/sched/frag/replayDigest.test.ts pins them). */
import { readFileSync } from 'node:fs';
import { TraceHasher } from '../../../src/core/hash.ts';
import { parseOpenbNodes, parseOpenbPods } from '../../../src/io/openb.ts';
import { replaySteps } from '../../../src/sched/frag/replay.ts';

const DATA = new URL('../../../../shared/data/openb/', import.meta.url);
const read = (f: string): string => readFileSync(new URL(f, DATA), 'utf8');
const nodes = parseOpenbNodes(read('openb_node_list_gpu_node.csv'));

/** Runs one replay to the end, hashing each arrival's decision in arrival order, then the stats. */
export function replayDigests(trace: string, policy: string, seed: number): { decisions: string; stats: string; arrived: number } {
  const pods = parseOpenbPods(read(`openb_pod_list_${trace}.csv`));
  const h = new TraceHasher();
  const steps = replaySteps({ nodes, pods, policy, seed });
  let r = steps.next();
  while (!r.done) {
    const { scheduler, pod, ctx } = r.value;
    const res = scheduler.cycle([pod], ctx);
    const b = pod.binding;
    if (res.bound.length === 1 && b) {
      h.add(b.nodeId);
      for (const g of b.gpus) h.add(g.gpu).add(g.milli);
      h.add(';');
    } else h.add('-');
    r = steps.next(res);
  }
  const s = r.value.stats;
  const stats = new TraceHasher().add(s.arrivedPods).add(s.arrivedMilli).add(s.boundPods).add(s.failedPods).add(s.finalAllocatedPct).digest();
  return { decisions: h.digest(), stats, arrived: s.arrivedPods };
}

