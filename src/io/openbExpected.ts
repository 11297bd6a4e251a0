/**
 * The FGD artifact's published results (hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641,
 * experiments/analysis/expected_results: analysis_allo_discrete.csv, analysis_frag_discrete.csv; Apache-2.0) and
 * their comparison with a Go-mode replay (`rng: 'go'`) at the artifact's two decimals. Pure text in, values out:
 * the app's trace import reads a file the user loads, scripts/openbExpectedLib.ts reads ../shared/data.
 * A malformed file throws an OpenbParseError naming the line.
 */
import { OpenbParseError } from './openb.ts';

/** The artifact's policy folders and our profile names. */
export const ARTIFACT_POLICIES: Readonly<Record<string, string>> = {
  '01-Random': 'random',
  '02-DotProd': 'dotprod',
  '03-GpuClustering': 'clustering',
  '04-GpuPacking': 'packing',
  '05-BestFit': 'bestfit',
  '06-FGD': 'fgd',
};

/** Rows of a published curve: arrived 0..130 % of GPU capacity (the artifact's 1.3 inflation). */
export const EXPECTED_ROWS = 131;

/** One published run: its 131 values (null where the artifact wrote none). */
export interface ExpectedRun {
  trace: string;
  policy: string;
  seed: number;
  values: (number | null)[];
}

/** A curve row as the replay returns it (sched/frag/replay.ts CurveRow), the two values compared. */
export interface ComparedRow {
  allocatedPct: number;
  fragmentedGpuPct: number;
}

/** The key of a run in parseExpected's map. */
export function expectedKey(trace: string, policy: string, seed: number): string {
  return `${trace}/${policy}/${seed}`;
}

/** The trace an openb pod list's file name names (`openb_pod_list_<trace>.csv` → `<trace>`), or null. */
export function traceOfPodFile(fileName: string): string | null {
  const m = /^openb_pod_list_(.+?)(?:\.csv)?$/i.exec(fileName.trim());
  return m ? m[1] : null;
}

/**
 * Parses one of the expected CSVs (header `workload,sc_policy,tune,seed,[total_gpus,]0,…,130`), keyed
 * trace/policy/seed (expectedKey). Each row must have the header's cell count, a known policy and whole seed, and
 * numbers or empty cells for 0..130; otherwise an OpenbParseError says `line N: …`.
 */
export function parseExpected(text: string): Map<string, ExpectedRun> {
  const raw = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const headerAt = raw.findIndex((l) => l.trim() !== '');
  if (headerAt < 0) throw new OpenbParseError('empty file (expected the header workload,sc_policy,tune,seed,…,0,…,130)');
  const header = raw[headerAt].split(',');
  const say = (line: number, msg: string): OpenbParseError => new OpenbParseError(`line ${line}: ${msg}`);
  for (const [i, name] of ['workload', 'sc_policy', 'tune', 'seed'].entries()) {
    if (header[i] !== name) throw say(headerAt + 1, `column ${i + 1} must be "${name}", got ${JSON.stringify((header[i] ?? '').slice(0, 40))} (is this one of the artifact's analysis_*_discrete.csv files?)`);
  }
  const first = header.indexOf('0');
  if (first < 0) throw say(headerAt + 1, 'no column "0" (the value at 0 % arrived)');
  for (let pct = 0; pct < EXPECTED_ROWS; pct++) {
    if (header[first + pct] !== String(pct)) throw say(headerAt + 1, `column ${first + pct + 1} must be "${pct}", got ${JSON.stringify((header[first + pct] ?? '').slice(0, 40))}`);
  }
  const out = new Map<string, ExpectedRun>();
  for (let i = headerAt + 1; i < raw.length; i++) {
    if (raw[i].trim() === '') continue;
    const line = i + 1;
    const cells = raw[i].split(',');
    if (cells.length !== header.length) throw say(line, `${cells.length} cells, the header has ${header.length}`);
    const policy = ARTIFACT_POLICIES[cells[1]];
    if (!policy) throw say(line, `sc_policy: must be one of ${Object.keys(ARTIFACT_POLICIES).join(', ')}, got ${JSON.stringify(cells[1].slice(0, 40))}`);
    const seed = Number(cells[3]);
    if (cells[3] === '' || !Number.isInteger(seed) || seed < 0) throw say(line, `seed: must be a whole number ≥ 0, got ${JSON.stringify(cells[3].slice(0, 40))}`);
    const values = cells.slice(first, first + EXPECTED_ROWS).map((c, pct) => {
      if (c === '') return null;
      const v = Number(c);
      if (!Number.isFinite(v)) throw say(line, `column "${pct}": not a number: ${JSON.stringify(c.slice(0, 40))}`);
      return v;
    });
    const trace = cells[0].replace(/^openb_pod_list_/, '');
    out.set(expectedKey(trace, policy, seed), { trace, policy, seed, values });
  }
  return out;
}

/** One row (arrived %) where a curve differs from the published value at two decimals. */
export interface CurveDiff {
  pct: number;
  ours: number;
  theirs: number | null;
}

/** Rows (arrived %) where a curve differs from the published values at two decimals. */
export function curveDiffs(curve: readonly ComparedRow[], expected: ExpectedRun, key: keyof ComparedRow): CurveDiff[] {
  const out: CurveDiff[] = [];
  expected.values.forEach((theirs, pct) => {
    const ours = curve[pct]?.[key];
    if (theirs === null || ours === undefined || Math.round(ours * 100) !== Math.round(theirs * 100)) out.push({ pct, ours: ours ?? NaN, theirs });
  });
  return out;
}

/** How a curve compares with a published run: rows equal at two decimals, of how many, and the first that differs. */
export interface CurveComparison {
  equal: number;
  rows: number;
  firstDiff: CurveDiff | null;
}

/** Compares a curve's `key` values with a published run row by row (curveDiffs). */
export function compareCurve(curve: readonly ComparedRow[], expected: ExpectedRun, key: keyof ComparedRow): CurveComparison {
  const diffs = curveDiffs(curve, expected, key);
  return { equal: expected.values.length - diffs.length, rows: expected.values.length, firstDiff: diffs[0] ?? null };
}

/** A value at the artifact's two decimals, as the table and CSV show it ('' for none). */
export function twoDecimals(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '' : v.toFixed(2);
}

/**
 * A replay's curve as CSV (header, one line per arrived %, each ended by \n), values to two decimals, with the
 * published run's columns beside ours when one was loaded.
 */
export function replayCurveCsv(curve: readonly (ComparedRow & { arrivedPct: number })[], published: { alloc?: ExpectedRun; frag?: ExpectedRun } = {}): string {
  const cols = ['arrived_pct', 'allocated_pct', 'fragmented_gpu_pct'];
  if (published.alloc) cols.push('published_allocated_pct');
  if (published.frag) cols.push('published_fragmented_gpu_pct');
  const lines = [cols.join(',')];
  for (const r of curve) {
    const cells = [String(r.arrivedPct), twoDecimals(r.allocatedPct), twoDecimals(r.fragmentedGpuPct)];
    if (published.alloc) cells.push(twoDecimals(published.alloc.values[r.arrivedPct]));
    if (published.frag) cells.push(twoDecimals(published.frag.values[r.arrivedPct]));
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}
