/**
 * The authors' expected-results CSVs (src/io/openbExpected.ts; format of hkust-adsl/kubernetes-scheduler-simulator
 * @ 8f3d641 experiments/analysis/expected_results/analysis_*_discrete.csv): parsing, the line-numbered errors, and the
 * row-by-row comparison at two decimals that the trace import's exact replay shows. Rows here are built in the test.
 */
import { describe, expect, it } from 'vitest';
import { compareCurve, expectedKey, parseExpected, replayCurveCsv, traceOfPodFile, type ExpectedRun } from '../../src/io/openbExpected.ts';

const PCTS = Array.from({ length: 131 }, (_, i) => i);
const HEADER = `workload,sc_policy,tune,seed,total_gpus,${PCTS.join(',')}`;
/** Published values: 0.5 per arrived % (two decimals, as the artifact writes them). */
const published = (pct: number): number => pct * 0.5;
const row = (trace: string, policy: string, seed: string, cell: (pct: number) => string = (p) => String(published(p))): string => [`openb_pod_list_${trace}`, policy, '1.3', seed, '6212', ...PCTS.map(cell)].join(',');

describe('expected CSV parsing', () => {
  it('keys each run trace/policy/seed with its 131 values, empty cells as null, CRLF and blank lines tolerated', () => {
    const text = [HEADER, row('tiny', '05-BestFit', '42'), '', row('tiny', '06-FGD', '43', (p) => (p === 130 ? '' : String(published(p))))].join('\r\n');
    const runs = parseExpected(text);
    expect([...runs.keys()]).toEqual([expectedKey('tiny', 'bestfit', 42), 'tiny/fgd/43']);
    const fgd = runs.get('tiny/fgd/43') as ExpectedRun;
    expect([fgd.trace, fgd.policy, fgd.seed, fgd.values.length, fgd.values[3], fgd.values[130]]).toEqual(['tiny', 'fgd', 43, 131, 1.5, null]);
  });
  it('names the line of a malformed header or row', () => {
    expect(() => parseExpected('name,cpu_milli\n')).toThrow('line 1: column 1 must be "workload", got "name"');
    expect(() => parseExpected(HEADER.replace(',57,', ',x,'))).toThrow('line 1: column 63 must be "57", got "x"');
    expect(() => parseExpected([HEADER, row('tiny', '05-BestFit', '42'), row('tiny', '07-Mine', '42')].join('\n'))).toThrow('line 3: sc_policy: must be one of 01-Random');
    expect(() => parseExpected([HEADER, row('tiny', '05-BestFit', '4.5')].join('\n'))).toThrow('line 2: seed: must be a whole number ≥ 0, got "4.5"');
    expect(() => parseExpected([HEADER, row('tiny', '05-BestFit', '42', (p) => (p === 9 ? 'abc' : '1'))].join('\n'))).toThrow('line 2: column "9": not a number: "abc"');
    expect(() => parseExpected([HEADER, '', `${row('tiny', '05-BestFit', '42')},7`].join('\n'))).toThrow('line 3: 137 cells, the header has 136');
    expect(() => parseExpected('\n\n')).toThrow('empty file');
  });
});

describe('a curve against a published run', () => {
  const run = parseExpected([HEADER, row('tiny', '04-GpuPacking', '42', (p) => (p === 120 ? '' : String(published(p))))].join('\n')).get('tiny/packing/42') as ExpectedRun;
  // Ours: the published value, off by less than half a hundredth everywhere but at 40 % (a whole hundredth up) and 77 %.
  const curve = PCTS.map((p) => ({ arrivedPct: p, allocatedPct: published(p) + (p === 40 ? 0.01 : p === 77 ? -0.006 : 0.004), fragmentedGpuPct: 3 }));
  it('counts the rows equal at two decimals and names the first that differs (an empty published cell differs)', () => {
    expect(compareCurve(curve, run, 'allocatedPct')).toEqual({ equal: 128, rows: 131, firstDiff: { pct: 40, ours: 20.01, theirs: 20 } });
    expect(compareCurve(curve.map((c) => ({ ...c, allocatedPct: published(c.arrivedPct) })), run, 'allocatedPct')).toEqual({ equal: 130, rows: 131, firstDiff: { pct: 120, ours: 60, theirs: null } });
    expect(compareCurve(curve, run, 'fragmentedGpuPct').firstDiff).toEqual({ pct: 0, ours: 3, theirs: 0 });
  });
  it('writes the curve as CSV at two decimals, published columns beside ours', () => {
    const lines = replayCurveCsv(curve, { alloc: run }).split('\n');
    expect(lines[0]).toBe('arrived_pct,allocated_pct,fragmented_gpu_pct,published_allocated_pct');
    expect(lines[41]).toBe('40,20.01,3.00,20.00');
    expect(lines[121]).toBe('120,60.00,3.00,');
    expect(lines).toHaveLength(133);
  });
  it("reads the trace from the artifact's pod list name", () => {
    expect([traceOfPodFile('openb_pod_list_gpuspec10.csv'), traceOfPodFile('openb_pod_list_default'), traceOfPodFile('pods.csv')]).toEqual(['gpuspec10', 'default', null]);
  });
});
