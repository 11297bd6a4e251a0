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

/**
 * rand.Float64 draws by the scheduler's informers between the tuning and the node permutation (step 4): one per
 * informer that runScheduler starts, ten informers (see goReplayDraws).
 */
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
  // Step 4's preamble (paths in the artifact @ 8f3d641, which vendors client-go v0.20.5 and its kubernetes fork
  // v1.20.5-minor): runScheduler (pkg/simulator/simulator.go:246-255) starts the informers that scheduler.New asked
  // the shared factory for and waits for their caches. Each reflector lists its (still empty) store, then draws
  // rand.Float64() from math/rand's global source, one Int63, for its first watch's timeout
  // (vendor/k8s.io/client-go/tools/cache/reflector.go:400). Ten informers start there: Pods, Nodes, CSINodes,
  // PersistentVolumes, PersistentVolumeClaims, Services (vendor/k8s.io/kubernetes/pkg/scheduler/eventhandlers.go:
  // 371-458), ReplicationControllers, ReplicaSets, StatefulSets (podtopologyspread/plugin.go:93-117: the default-on
  // DefaultPodTopologySpread gate gives it system-default constraints, so it takes these listers) and
  // PodDisruptionBudgets (defaultpreemption/default_preemption.go:85, 783-787). StorageClasses, the one more type the
  // scheduler asks for, was started in simulator.New (simulator.go:119-122) before rand.Seed, and the factory does
  // not start it twice (vendor/k8s.io/client-go/informers/factory.go:132-136). Each reflector draws once: the fake
  // clientset's watch ignores the timeout and never ends (client-go/testing/fixture.go:262-273), so ListAndWatch
  // never returns to its jittered backoff. Nothing else draws in between (docs/fidelity.md lists what was ruled
  // out). The draws run in ten goroutines, so only their count matters (the values set timeouts nobody enforces);
  // WaitForCacheSync's first check, right after Start, finds an informer without its controller and sleeps its
  // 100 ms poll, by which time all ten have listed and drawn. The published runs agree: on default/fgd/43 only 10
  // of 0-12 reproduces the curves, and with 10 every baseline run matches (scripts/openbExpected.ts).
  for (let k = 0; k < REFLECTOR_DRAWS; k++) rand.float64();
  const sorted = nodes.map((n, i) => ({ name: n.sn, i })).sort(byName);
  const perm = rand.perm(sorted.length);
  const nodeRank = new Int32Array(nodes.length);
  sorted.forEach((n, pos) => {
    nodeRank[n.i] = perm[pos];
  });
  return { arrivals, nodeRank };
}
