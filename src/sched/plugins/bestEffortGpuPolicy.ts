/**
 * The NVIDIA device plugin's preferred allocation for whole GPUs: kubelet asks GetPreferredAllocation
 * (NVIDIA/k8s-device-plugin internal/rm/nvml_manager.go getPreferredAllocation → alignedAlloc), and the plugin
 * answers with go-gpuallocator's best-effort policy (NVIDIA/go-gpuallocator gpuallocator/besteffort_policy.go).
 *
 * The policy does not take the single best-linked set: it splits all available GPUs into sets of `size` (padded
 * with empty slots so the split is even), keeps the partition whose summed set scores is highest (the first one
 * found on ties, among partitions with a padding-free set holding every required GPU), and returns that
 * partition's best set (first on ties). A set's score is the sum of its pairs' link scores (calculateGPUPairScore:
 * NVLINK_n 100·n, PCIe levels 10–60; the same weights as HAMi's, src/sched/hami/topology.ts linkWeight).
 */

/** Marks a padding slot in a set (Go's nil device). */
const PAD = -1;

/** Calls `callback` with every `size`-subset of `devices` in lexicographic position order (iterateGPUSets). */
function forEachSet(devices: readonly number[], size: number, callback: (set: number[]) => void): void {
  if (size <= 0 || size > devices.length) return;
  const set: number[] = [];
  const walk = (start: number): void => {
    if (set.length === size) {
      callback(set.slice());
      return;
    }
    for (let i = start; i < devices.length; i++) {
      set.push(devices[i]);
      walk(i + 1);
      set.pop();
    }
  };
  walk(0);
}

const padCount = (set: readonly number[]): number => set.reduce((n, d) => n + (d === PAD ? 1 : 0), 0);

/**
 * Calls `callback` with every partition of `devices` into sets of `size` (iterateGPUPartitions): padded to a
 * multiple of `size`; each set starts with the first device left, so no partition is seen twice; a set holds no
 * padding or all of it.
 */
function forEachPartition(devices: readonly number[], size: number, callback: (partition: number[][]) => void): void {
  if (size <= 0 || size > devices.length) return;
  if (size === 1) {
    for (const d of devices) callback([[d]]);
    return;
  }
  const padded = devices.slice();
  while (padded.length % size !== 0) padded.push(PAD);
  const padding = padCount(padded);
  const iterate = (left: readonly number[], accum: number[][]): void => {
    if (left.length === size) {
      callback([...accum, left.slice()]);
      return;
    }
    forEachSet(left.slice(1), size - 1, (rest) => {
      const set = [left[0], ...rest];
      const p = padCount(set);
      if (p !== 0 && p !== padding) return;
      // Go removes every device the set contains; a set with padding contains the nil that all padding slots are.
      iterate(
        left.filter((d) => !set.includes(d)),
        [...accum, set],
      );
    });
  };
  iterate(padded, []);
}

/** Sum of the pair scores over the set's pairs (padding scores 0: calculateGPUSetScore). */
function setScore(set: readonly number[], pairScore: (a: number, b: number) => number): number {
  let s = 0;
  for (let i = 0; i < set.length; i++) {
    for (let j = i + 1; j < set.length; j++) if (set[i] !== PAD && set[j] !== PAD && set[i] !== set[j]) s += pairScore(set[i], set[j]);
  }
  return s;
}

const containsAll = (set: readonly number[], required: readonly number[]): boolean => required.every((d) => set.includes(d));

/**
 * go-gpuallocator's best-effort Allocate: `size` GPUs from `available` (device indices, in the order the plugin
 * lists them) that include every `required` one, or [] when impossible. `pairScore(a, b)` is the link score.
 */
export function bestEffortAllocate(available: readonly number[], required: readonly number[], size: number, pairScore: (a: number, b: number) => number): number[] {
  if (size <= 0 || available.length < size || required.length > size) return [];
  let best: number[][] | null = null;
  let bestScore = 0;
  forEachPartition(available, size, (candidate) => {
    if (!candidate.some((set) => containsAll(set, required) && padCount(set) === 0)) return;
    const score = candidate.reduce((s, set) => s + setScore(set, pairScore), 0);
    if (score > bestScore || best === null) {
      best = candidate;
      bestScore = score;
    }
  });
  if (best === null) return [];
  // The best set of the best partition among those holding every required GPU. A padded set could only win
  // here with fewer than `size` GPUs (upstream would hand kubelet a short list); we never return one.
  let bestSet: number[] | null = null;
  let bestSetScore = 0;
  for (const set of best as number[][]) {
    if (!containsAll(set, required) || padCount(set) !== 0) continue;
    const s = setScore(set, pairScore);
    if (bestSet === null || s > bestSetScore) {
      bestSet = set;
      bestSetScore = s;
    }
  }
  return bestSet ?? [];
}
