/** Pure helpers of the workbench: layout geometry, plain-words comparison, demand preview, qps.csv, sketch smoothing. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { summaryOf } from '../builders/index.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import type { LayoutNode } from '../../src/worker/protocol.ts';
import { cellAt, layoutCluster, NORMAL_CELLS, nodeOfGpu } from '../../src/ui/lib/clusterLayout.ts';
import { avgGpusBooked, compareRuns } from '../../src/ui/lib/compare.ts';
import { demandSeries, replicasFor, workloadGpusAt } from '../../src/ui/lib/demandPreview.ts';
import { parseQpsCsv, scaleToPeak } from '../../src/ui/lib/qpsCsv.ts';
import { smoothSketch } from '../../src/ui/lib/sketch.ts';
import { formatSimTime } from '../../src/ui/lib/format.ts';

function nodes(spec: [string, string, number][]): LayoutNode[] {
  let off = 0;
  return spec.map(([pool, rack, gpus], i) => {
    const n = { name: `${pool}-${i}`, pool, rack, gpuModel: 'H100', gpus, cpuMilli: 1000, memMiB: 1024, topology: 'nvswitch', gpuOffset: off };
    off += gpus;
    return n;
  });
}

const summary = summaryOf;

describe('layoutCluster', () => {
  it('sizes a card from its GPUs and places cells inside it', () => {
    const g = layoutCluster(nodes([['a', 'r0', 8]]), 800);
    // Card width: pad 4 · 2 + 8 cells · (16 + 2) − 2 = 150; height: header 13 + pad 8 + 1 row · 24 + bars 2 · (3 + 2) = 55.
    expect(g.cards[0].w).toBe(150);
    expect(g.cards[0].h).toBe(55);
    for (const c of g.cells) {
      expect(c.x).toBeGreaterThanOrEqual(g.cards[0].x);
      expect(c.x + c.w).toBeLessThanOrEqual(g.cards[0].x + g.cards[0].w);
    }
    // 16 GPUs wrap to a second row of 8.
    const g16 = layoutCluster(nodes([['a', 'r0', 16]]), 800);
    expect(g16.cells[8].y - g16.cells[0].y).toBe(NORMAL_CELLS.cellH + NORMAL_CELLS.gap);
  });

  it('groups by pool and rack, never overlaps cards, stays inside the width, and finds cells back', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom('r0', 'r1'), fc.constantFrom(0, 1, 4, 8, 16)), { minLength: 1, maxLength: 30 }), fc.integer({ min: 200, max: 1400 }), (spec, width) => {
        const ns = nodes(spec);
        const g = layoutCluster(ns, width);
        expect(g.groups.length).toBe(new Set(spec.map(([p, r]) => `${p}/${r}`)).size);
        for (let i = 0; i < g.cards.length; i++) {
          for (let j = i + 1; j < g.cards.length; j++) {
            const a = g.cards[i];
            const b = g.cards[j];
            expect(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y).toBe(true);
          }
          // A card wider than the view can only be alone on its row; others end inside the width.
          if (g.cards[i].w + 8 <= width) expect(g.cards[i].x + g.cards[i].w).toBeLessThanOrEqual(width);
        }
        g.cells.forEach((c, k) => {
          expect(cellAt(g, c.x + 1, c.y + 1)).toBe(k);
          expect(ns[nodeOfGpu(ns, k)].gpuOffset).toBeLessThanOrEqual(k);
          expect(ns[nodeOfGpu(ns, k)].gpuOffset + ns[nodeOfGpu(ns, k)].gpus).toBeGreaterThan(k);
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe('compareRuns', () => {
  it('calls out fewer GPUs for the same load with the numbers it rests on', () => {
    const a = summary({ allocationPct: 75 }); // 75% of 32 GPUs = 24 GPUs booked
    const b = summary({ allocationPct: 25 }); // 25% of 32 = 8 GPUs
    expect(avgGpusBooked(a)).toBe(24);
    // (24 − 8) / 24 = 66.7% → 67% fewer.
    expect(compareRuns([{ label: 'k8s-default', summary: a }, { label: 'hami-binpack', summary: b }])).toEqual([
      'hami-binpack fits the same load on 67% fewer GPUs than k8s-default (8.0 GPUs booked on average vs 24.0).',
    ]);
  });

  it('does not claim the same load when pods are still waiting, and reports waits, training and OOM kills', () => {
    const a = summary({ allocationPct: 50, podsPendingAtEnd: 8, meanWaitS: 1800, training: { jobs: 2, completed: 0, meanJctS: 0, meanSlowdown: 0 } });
    const b = summary({ allocationPct: 100, podsPendingAtEnd: 0, meanWaitS: 600, training: { jobs: 2, completed: 2, meanJctS: 1, meanSlowdown: 1 }, oomKills: 3 });
    const lines = compareRuns([{ label: 'k8s-default', summary: a }, { label: 'volcano', summary: b }]);
    // 16 → 32 GPUs booked: (32 − 16) / 16 = 100% more; not "the same load" since 8 pods still wait under k8s-default.
    expect(lines[0]).toBe('volcano books 100% more GPUs than k8s-default (32.0 GPUs booked on average vs 16.0).');
    expect(lines).toContain('volcano has 0 pods waiting at the end; k8s-default has 8.');
    expect(compareRuns([{ label: 'k8s-default', summary: a }, { label: 'volcano', summary: b }], false)).toContain('volcano has 0 pods waiting now; k8s-default has 8.');
    // 1800 − 600 = 1200 s = 20.0 min.
    expect(lines).toContain('Pods wait 20.0 min less on average under volcano (10.0 min vs 30.0 min).');
    expect(lines).toContain('volcano completes 2 of 2 training jobs; k8s-default completes 0 of 2.');
    expect(lines.some((l) => l.startsWith('volcano OOM-killed 3 pods'))).toBe(true);
  });

  it('a deadlocked run next to a working one: busy GPUs and useful work are called out, not "the same"', () => {
    // Both book all 16 GPUs and neither has finished a job yet, but only volcano computes: 0% vs 95% busy.
    const stuck = summary({ gpus: 16, allocationPct: 100, utilizationPct: 0, podsPendingAtEnd: 4, cost: { totalUsd: 50, usefulGpuHours: 0, costPerUsefulGpuHourUsd: -1 } });
    const working = summary({ gpus: 16, allocationPct: 100, utilizationPct: 95, podsPendingAtEnd: 4, cost: { totalUsd: 50, usefulGpuHours: 15.2, costPerUsefulGpuHourUsd: 3.29 } });
    const lines = compareRuns([{ label: 'k8s-default', summary: stuck }, { label: 'volcano', summary: working }], false);
    expect(lines).toEqual([
      'volcano keeps the GPUs 95.0% busy with real work; k8s-default 0.0% (compute used, not just allocated).',
      'k8s-default has done no useful GPU work so far; volcano has done 15.2 GPU-hours of it.',
    ]);
  });

  it('says so when nothing differs, and says nothing for a single run', () => {
    expect(compareRuns([{ label: 'a', summary: summary() }, { label: 'b', summary: summary({ allocationPct: 51 }) }])).toEqual(['b and a give the same results on this scenario (within 5%).']);
    expect(compareRuns([{ label: 'a', summary: summary() }])).toEqual([]);
  });
});

describe('demand preview', () => {
  const inf = { kind: 'inference', name: 'chat', gpuMemMiB: 1, gpuCores: 50, cpuMilli: 1, memMiB: 1, qpsPerGpu: 40, demand: { shape: 'flat', qps: 50 }, targetUtilization: 0.5, minReplicas: 1, maxReplicas: 10, sloMs: 100 } as const;
  it('sizes inference like an HPA and adds the other kinds', () => {
    // One replica serves 40 · 0.5 · 0.5 = 10 req/s at target: 50 req/s → 5 replicas → 5 · 0.5 = 2.5 GPUs.
    expect(replicasFor(inf, 50)).toBe(5);
    expect(workloadGpusAt(inf, 0)).toBe(2.5);
    // 500 req/s would need 50 replicas: clamped to 10.
    expect(replicasFor(inf, 500)).toBe(10);
    const train = { kind: 'training', name: 't', workers: 2, gpusPerWorker: 4, gpuMemMiB: 1, cpuMilli: 1, memMiB: 1, workGpuHours: 8, stepComputeS: 1, commGBPerStep: 1, arrivalS: 600 } as const;
    // 8 GPU-hours on 8 GPUs = 1 h at ideal speed, from 600 s to 4200 s.
    expect([workloadGpusAt(train, 0), workloadGpusAt(train, 600), workloadGpusAt(train, 4199), workloadGpusAt(train, 4200)]).toEqual([0, 8, 8, 0]);
    const s = { kind: 'slicebench/scenario', version: 1, name: 'x', cluster: { pools: [] }, workloads: [inf, train], schedulers: [{ profile: 'k8s-default' }], sim: { durationS: 3600, seed: 1, metricsStepS: 60 } } as unknown as Scenario;
    const series = demandSeries(s, 3);
    // Samples at 0, 1800, 3600 s: 2.5 GPUs of inference, plus 8 for training from 600 s on.
    expect(series.map((p) => p.gpus)).toEqual([2.5, 10.5, 10.5]);
    expect(series.map((p) => p.qps)).toEqual([50, 50, 50]);
  });
});

describe('qps.csv', () => {
  it('bins Generative Requests by time, summed over containers, and scales to a peak', () => {
    const csv = ['timestamp_anon,value,container_ip,request_type', '1000,2,a,Generative Requests', '1100,3,b,Generative Requests', '1200,9,,API Requests', '2900,1,a,Generative Requests'].join('\n');
    // 30-min bins from t0 = 1000: 1000 and 1100 fall in bin 0 (2 + 3 = 5), 2900 in bin 1 (1900 s later).
    expect(parseQpsCsv(csv)).toEqual([
      { hour: 0.25, qps: 5 },
      { hour: 0.75, qps: 1 },
    ]);
    expect(scaleToPeak(parseQpsCsv(csv), 100)).toEqual([
      { hour: 0.25, qps: 100 },
      { hour: 0.75, qps: 20 },
    ]);
    expect(() => parseQpsCsv('a,b\n1,2')).toThrow(/header must name/);
    expect(() => parseQpsCsv('timestamp_anon,value,container_ip,request_type\nx,1,,Generative Requests')).toThrow(/line 2/);
  });

  const real = new URL('../../../shared/data/alibaba_genai_qps_2026/qps.csv', import.meta.url);
  it.skipIf(!existsSync(real))('reads the real 22-hour trace into a tidal curve', () => {
    const pts = parseQpsCsv(readFileSync(real, 'utf8'));
    // About 22.3 h in 30-min bins: 45 bins.
    expect(pts.length).toBeGreaterThanOrEqual(44);
    expect(pts.length).toBeLessThanOrEqual(46);
    const max = Math.max(...pts.map((p) => p.qps));
    const min = Math.min(...pts.map((p) => p.qps));
    // The README: peaks of about 150 units, nights at 0–7.
    expect(max).toBeGreaterThan(100);
    expect(min).toBeLessThan(10);
  });
});

describe('smoothSketch', () => {
  it('turns a flat stroke into a flat hourly curve and fills gaps around midnight', () => {
    const flat = smoothSketch(Array.from({ length: 48 }, (_, i) => ({ hour: i / 2, qps: 10 })));
    expect(flat.length).toBe(24);
    expect(flat.every((p) => p.qps === 10)).toBe(true);
    expect(flat[0].hour).toBe(0.5);
    // Samples only at hours 6 (qps 0) and 18 (qps 12): hour 12 lies halfway → 6, before smoothing;
    // [1, 2, 1]/4 over the straight line keeps 6.
    const gap = smoothSketch([
      { hour: 6.2, qps: 0 },
      { hour: 18.2, qps: 12 },
    ]);
    expect(gap[12].qps).toBe(6);
    expect(gap.every((p) => p.qps >= 0 && p.qps <= 12)).toBe(true);
    expect(smoothSketch([])).toEqual([]);
  });
});

describe('formatSimTime', () => {
  it('shows days only past one day', () => {
    expect(formatSimTime(3661)).toBe('1:01:01');
    expect(formatSimTime(86400 + 59)).toBe('1d 0:00:59');
  });
});
