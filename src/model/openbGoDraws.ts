/**
 * The FGD artifact's draws before its first pod, from Go's math/rand (src/core/goRand.ts) in the artifact's call
 * order (hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641; steps 1–4 of src/sched/frag/goReplay.ts's header):
 * the arrival sequence and the nodes' tie-break ranks of a `rng: 'go'` replay. Here in model/, beside
 * replayWorkload (openbTrace.ts), so the trace import (io/openbScenario.ts) and the replay both use it.
 */
import { GoRand } from '../core/goRand.ts';
import type { TracePod } from '../scenario/types.ts';
import type { OpenbNode } from './openbTrace.ts';
import { GPU_MILLI } from './units.ts';

/** rand.Float64 draws by the scheduler's informers between the tuning and the node permutation (step 4). */
export const REFLECTOR_DRAWS = 10;

/** What a Go-mode replay draws before the first pod: the arrival sequence and the nodes' tie-break ranks. */
export interface GoReplayDraws {
  arrivals: TracePod[];
  /** rank[node index] (lower wins ties), from step 4 above. */
  nodeRank: Int32Array;
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Steps 1–4 of the header: the artifact's arrivals and node ranking for a seed. */
export function goReplayDraws(pods: readonly TracePod[], nodes: readonly OpenbNode[], capacityGpus: number, inflation: number, seed: number): GoReplayDraws {
  const rand = new GoRand(seed);
  rand.int();
  const originals = [...pods].sort(byName);
  const arrivals = originals.slice();
  rand.shuffle(arrivals.length, (i, j) => {
    const t = arrivals[i];
    arrivals[i] = arrivals[j];
    arrivals[j] = t;
  });
  // tgtTotalMilliGpu = ratio × nodeTotalMilliGpu (float64), compared with the integer running total.
  const targetMilli = inflation * (capacityGpus * GPU_MILLI);
  if (!Number.isFinite(targetMilli)) throw new RangeError(`invalid replay target: ${inflation}× ${capacityGpus} GPUs (finite numbers needed)`);
  let totalMilli = 0;
  for (const p of arrivals) totalMilli += p.numGpu * p.gpuMilli;
  if (originals.length > 0 && totalMilli < targetMilli) {
    if (!originals.some((p) => p.gpuMilli > 0)) throw new RangeError(`the pod list requests no GPUs: nothing to replay up to ${inflation}× GPU capacity`);
    for (let i = 0; ; i++) {
      const copy = originals[rand.intn(originals.length)];
      // tuneUpPods: checks total + per-GPU milli, adds num_gpu × milli (TotalMilliGpu).
      if (totalMilli + copy.gpuMilli > targetMilli) break;
      totalMilli += copy.numGpu * copy.gpuMilli;
      arrivals.push({ ...copy, name: `${copy.name}-tuned-${i}` });
    }
  } else {
    while (totalMilli > targetMilli && arrivals.length > 0) {
      const [gone] = arrivals.splice(rand.intn(arrivals.length), 1);
      totalMilli -= gone.numGpu * gone.gpuMilli;
    }
  }
  // Step 4's preamble: runScheduler starts the informers and waits for their caches; each informer's reflector then
  // draws rand.Float64() for its watch timeout (client-go tools/cache/reflector.go ListAndWatch). Ten such draws
  // precede the node permutation. The count was found against the published runs, not read from the code: on
  // default/fgd/43 only 10 of 0–12 reproduces the curves, and with 10 every baseline run compared matches
  // (scripts/openbExpected.ts, test/sched/frag/goReplay.test.ts).
  for (let k = 0; k < REFLECTOR_DRAWS; k++) rand.float64();
  const sorted = nodes.map((n, i) => ({ name: n.sn, i })).sort(byName);
  const perm = rand.perm(sorted.length);
  const nodeRank = new Int32Array(nodes.length);
  sorted.forEach((n, pos) => {
    nodeRank[n.i] = perm[pos];
  });
  return { arrivals, nodeRank };
}
