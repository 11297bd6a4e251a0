/**
 * HAMi v2.10.0 orderings (pkg/scheduler/policy): the GPU list's Less for every GPU policy, and the node list's
 * Less for the node policy. Lists are sorted ascending and the LAST element is tried first.
 */

/** What the GPU ordering looks at. */
export interface GpuOrderKey {
  score: number;
  numa: number;
  usedSlots: number;
  index: number;
}

const SORT_KEYS = new Set(['binpack', 'spread', 'numa']);

/** True when the policy is a comma chain of sort keys (or exactly the bare `numa` key: no trimming, gpu_policy.go Less). */
export function isPolicyChain(policy: string): boolean {
  return policy.includes(',') || policy === 'numa';
}

/** Sort keys of a chain in the order written (unknown words such as `mutex` skipped); empty ⇒ spread; numa-bind moves numa first. */
export function chainKeys(policy: string, numaBind: boolean): string[] {
  let keys = policy.split(',').map((k) => k.trim()).filter((k) => SORT_KEYS.has(k));
  if (keys.length === 0) keys = ['spread'];
  if (numaBind) keys = ['numa', ...keys.filter((k) => k !== 'numa')];
  return keys;
}

/**
 * Less(a, b) of the GPU list. binpack: score asc then NUMA asc; spread/topology-aware/other: score desc then NUMA
 * asc; with numa-bind NUMA is primary (binpack: NUMA desc, others: NUMA asc); mutex: used desc then NUMA asc;
 * chains: the written keys in order, then index asc.
 */
export function gpuLess(a: GpuOrderKey, b: GpuOrderKey, policy: string, numaBind: boolean): boolean {
  if (isPolicyChain(policy)) {
    for (const key of chainKeys(policy, numaBind)) {
      if (key === 'numa') {
        if (a.numa !== b.numa) return a.numa < b.numa;
      } else if (a.score !== b.score) {
        return key === 'binpack' ? a.score < b.score : a.score > b.score;
      }
    }
    return a.index < b.index;
  }
  // A single policy is compared as written (pkg/scheduler/policy/gpu_policy.go Less): ' binpack' is not binpack.
  const p = policy;
  if (p === 'mutex') {
    if (a.usedSlots !== b.usedSlots) return a.usedSlots > b.usedSlots;
    return a.numa < b.numa;
  }
  if (p === 'binpack') {
    if (numaBind) {
      if (a.numa !== b.numa) return a.numa > b.numa;
      return a.score < b.score;
    }
    if (a.score !== b.score) return a.score < b.score;
    return a.numa < b.numa;
  }
  if (numaBind) {
    if (a.numa !== b.numa) return a.numa < b.numa;
    return a.score > b.score;
  }
  if (a.score !== b.score) return a.score > b.score;
  return a.numa < b.numa;
}

/**
 * Sorts in place with Go's insertion sort (what sort.Sort does for ≤ 12 elements): stable, ties keep their
 * order. Go switches to unstable pdqsort above 12; we stay stable there (our nodes have ≤ 8 GPUs).
 */
export function insertionSort<T>(items: T[], less: (a: T, b: T) => boolean): T[] {
  for (let i = 1; i < items.length; i++) {
    for (let j = i; j > 0 && less(items[j], items[j - 1]); j--) {
      const t = items[j];
      items[j] = items[j - 1];
      items[j - 1] = t;
    }
  }
  return items;
}

/**
 * The node policy HAMi applies to a pod (HAMi v2.10.0 pkg/scheduler/score.go resolveNodeSchedulerPolicy): the
 * `hami.io/node-scheduler-policy` annotation verbatim whenever the pod has it (no trimming, no case folding,
 * no validation), else the scheduler's flag. nodeLess then treats only exactly `spread` as descending.
 */
export function effectiveNodePolicy(flag: string, annotation: string | undefined): string {
  return annotation === undefined ? flag : annotation;
}

/** Less(a, b) of the node list: exactly `spread` sorts by score descending, any other policy ascending; the last node wins. */
export function nodeLess(aScore: number, bScore: number, nodePolicy: string): boolean {
  return nodePolicy === 'spread' ? aScore > bScore : aScore < bScore;
}
