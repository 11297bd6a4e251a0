/**
 * The FGD artifact's own random numbers and analysis, for `rng: 'go'` replays (replay.ts) that reproduce the
 * published runs exactly (hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641). The artifact draws from Go's
 * global math/rand source (src/core/goRand.ts) in this order:
 *  1. pkg/simulator/core.go Simulate: `rand.Seed(seed)`, then one `rand.Int()` in a log.Debugf argument (evaluated
 *     even with debug logging off);
 *  2. simulator.go SortClusterPods (shufflePod is true in every run of experiments/run_scripts): the pods sorted by
 *     name, then `rand.Shuffle`;
 *  3. simulator.go TunePodsByNodeTotalResource: tuneUpPods draws `rand.Intn(n)` over the name-sorted originals for
 *     every copy, the rejected last one included (tuneDownPods, when the trace is above the target, draws
 *     `rand.Intn(len(pods))` per removed pod);
 *  4. the scheduler's informers start (ten reflector watch-timeout draws, `REFLECTOR_DRAWS`), then simulator.go
 *     syncClusterResourceList: the nodes sorted by name, `rand.Perm(len(nodes))`, node i renamed
 *     "%04d-" + perm[i] + name; the vendored selectHost (generic_scheduler.go) keeps the smallest name among equal
 *     scores, so perm[i] is node i's tie-break rank;
 *  5. while scheduling: Random draws a node (random_score.go PreScore: one `rand.Intn` over the feasible nodes, a
 *     list the 16 filter goroutines fill in completion order) and a GPU (open_gpu_share.go); the list's order is
 *     timing, so Random's runs match only in distribution; here Random keeps Slicebench's stream for those draws.
 * Steps 1–4 are model/openbGoDraws.ts (the app's trace import uses them too); the analysis (experiments/analysis/merge_alloc_discrete.py, merge_frag_discrete.py, merge_frag_ratio_discrete.py)
 * is `artifactCurve` below.
 */
import { arrivedBin } from './replay.ts';
/** Python's round(x, 2) for x ≥ 0: the double nearest the decimal nearest x, exact halves to even. */
export function pyRound2(x: number): number {
  // Exact halves at two decimals are the odd multiples of 1/8 (x·8 is then exact); toFixed rounds those up.
  const e = x * 8;
  if (Number.isInteger(e) && e % 2 !== 0) {
    const f = Math.floor(x * 100);
    return (f % 2 === 0 ? f : f + 1) / 100;
  }
  return Number(x.toFixed(2));
}

/**
 * numpy's round(x, 2), which Python's round applies to the numpy float64 that pandas' mean returns: x · 100 in
 * doubles, rint (half to even), ÷ 100. Not correctly rounded: a mean stored as 91.034999… (91.035) becomes 91.04.
 */
export function numpyRound2(x: number): number {
  const y = x * 100;
  const f = Math.floor(y);
  const d = y - f;
  const r = d === 0.5 ? (f % 2 === 0 ? f : f + 1) : d < 0.5 ? f : f + 1;
  return r / 100;
}

/** numpy's pairwise sum of float64 (umath loops: 8 accumulators up to 128 values, halves above), as pandas' mean. */
export function numpySum(a: ArrayLike<number>, start = 0, n = a.length): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[start + i];
    return s;
  }
  if (n <= 128) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => a[start + j]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
    let s = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) s += a[start + i];
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return numpySum(a, start, n2) + numpySum(a, start + n2, n - n2);
}

/** The samples a replay records after each pod, in arrival order. */
export interface ReplaySamples {
  arrivedMilli: number[];
  allocatedMilli: number[];
  fragMilli: number[];
  fragRatioPct: number[];
}

/** One row of the artifact's curve (null where the artifact writes no value: no sample within ±1 %). */
export interface ArtifactRow {
  arrivedPct: number;
  allocatedPct: number | null;
  fragmentedGpuPct: number | null;
  fragRatioPct: number | null;
}

/**
 * The artifact's analysis of one run: each sample's arrived ratio = round(arrived milli / GPUs / 10) (half to even)
 * and allocation = round(used milli / GPUs / 10, 2) (Python's round: pandas' apply hands it Python floats); a row
 * averages its samples' allocations and rounds with numpy's round (`numpyRound2`: the mean is a numpy float64); the
 * fragmented GPU % is numpy's round(100 · mean(frag milli) / 1000 / GPUs, 2); the frag rate is the plain mean (Go
 * logs each sample's frag milli and rate to 2 decimals). Means are numpy's pairwise sums over the count, as pandas.
 * A row no sample rounds to takes the samples whose arrived ratio is within ±1 of it.
 */
export function artifactCurve(s: ReplaySamples, capacityGpus: number, maxPct: number): ArtifactRow[] {
  const byBin = new Map<number, number[]>();
  s.arrivedMilli.forEach((m, k) => {
    const bin = arrivedBin(m, capacityGpus);
    const list = byBin.get(bin);
    if (list) list.push(k);
    else byBin.set(bin, [k]);
  });
  const rows: ArtifactRow[] = [];
  for (let pct = 0; pct <= maxPct; pct++) {
    let ks = byBin.get(pct) ?? [];
    // pandas keeps the frame's row order when it filters: the ±1 rows' samples in arrival order.
    if (ks.length === 0) ks = [...(byBin.get(pct - 1) ?? []), ...(byBin.get(pct + 1) ?? [])].sort((a, b) => a - b);
    if (ks.length === 0) {
      rows.push({ arrivedPct: pct, allocatedPct: null, fragmentedGpuPct: null, fragRatioPct: null });
      continue;
    }
    const alloc = ks.map((k) => pyRound2(s.allocatedMilli[k] / capacityGpus / 10));
    // Go logs each sample's frag amount and rate with %.2f (pkg/simulator/analysis.go), which analysis.py reads back.
    const frag = numpySum(ks.map((k) => pyRound2(s.fragMilli[k]))) / ks.length;
    rows.push({
      arrivedPct: pct,
      allocatedPct: numpyRound2(numpySum(alloc) / ks.length),
      fragmentedGpuPct: numpyRound2((100 * frag) / 1000 / capacityGpus),
      fragRatioPct: numpySum(ks.map((k) => pyRound2(s.fragRatioPct[k]))) / ks.length,
    });
  }
  return rows;
}
