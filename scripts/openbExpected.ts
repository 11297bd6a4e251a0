/**
 * Replays the FGD artifact's 1,020 published runs with Go's random numbers (`rng: 'go'`) and compares each curve
 * with ../shared/data/openb-expected: the 850 runs of FGD, BestFit, DotProd, GpuPacking and GpuClustering must equal
 * theirs to two decimals (allocation and fragmented GPUs per arrived %); Random's draws race in the artifact, so its
 * ten seeds are compared by their mean curve.
 *
 *   npx tsx scripts/openbExpected.ts [--traces default,cpu050] [--policies fgd,bestfit] [--seeds 42-51]
 *
 * Runs go seed by seed across every trace, so an interrupted run still covers all traces; one line per run.
 */
import { replayOpenb } from '../src/sched/frag/replay.ts';
import { EXPECTED_TRACES, curveDiffs, loadExpected, loadTrace } from './openbExpectedLib.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const traces = arg('traces')?.split(',') ?? EXPECTED_TRACES;
const policies = arg('policies')?.split(',') ?? ['fgd', 'bestfit', 'dotprod', 'packing', 'clustering', 'random'];
const [s0, s1] = (arg('seeds') ?? '42-51').split('-').map(Number);
const seeds = Array.from({ length: (s1 ?? s0) - s0 + 1 }, (_, i) => s0 + i);
const expected = loadExpected();
const data = new Map(traces.map((t) => [t, loadTrace(t)]));
let exact = 0;
let runs = 0;
const mismatched: string[] = [];
// Random: per trace, the sum of ours and theirs per row, for the mean curves.
const randomSums = new Map<string, { ours: number[]; theirs: number[]; n: number }>();
const started = Date.now();
for (const seed of seeds) {
  for (const trace of traces) {
    const { nodes, pods } = data.get(trace)!;
    for (const policy of policies) {
      const key = `${trace}/${policy}/${seed}`;
      const alloc = expected.alloc.get(key);
      const frag = expected.frag.get(key);
      if (!alloc || !frag) {
        console.log(`${key}: no published run`);
        continue;
      }
      const r = replayOpenb({ nodes, pods, policy, seed, rng: 'go' });
      if (policy === 'random') {
        const s = randomSums.get(trace) ?? { ours: new Array(131).fill(0), theirs: new Array(131).fill(0), n: 0 };
        r.curve.forEach((row, i) => {
          s.ours[i] += row.allocatedPct;
          s.theirs[i] += alloc.values[i] ?? NaN;
        });
        s.n++;
        randomSums.set(trace, s);
        console.log(`${key}: random (compared in distribution below)`);
        continue;
      }
      runs++;
      const da = curveDiffs(r.curve, alloc, 'allocatedPct');
      const df = curveDiffs(r.curve, frag, 'fragmentedGpuPct');
      if (da.length === 0 && df.length === 0) exact++;
      else mismatched.push(key);
      const first = (d: typeof da) => (d.length ? ` first at ${d[0].pct} %: ours ${d[0].ours}, theirs ${d[0].theirs}` : '');
      console.log(`${key}: allocation ${131 - da.length}/131 rows equal${first(da)}; fragmented GPUs ${131 - df.length}/131${first(df)}`);
    }
  }
}
for (const [trace, s] of randomSums) {
  const gaps = s.ours.map((o, i) => Math.abs(o - s.theirs[i]) / s.n);
  const worst = gaps.reduce((w, g, i) => (g > gaps[w] ? i : w), 0);
  console.log(`${trace}/random: mean allocation over ${s.n} seeds, largest gap ${gaps[worst].toFixed(2)} points at ${worst} % arrived`);
}
console.log(`${exact} of ${runs} deterministic runs equal the published curves exactly (${((Date.now() - started) / 1000).toFixed(0)} s)`);
if (mismatched.length) console.log(`not equal: ${mismatched.join(', ')}`);
