import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { simulate, Simulation } from '../../src/sim/simulate.ts';
import { demandAt } from '../../src/scenario/demand.ts';
import type { DemandCurve } from '../../src/scenario/types.ts';
import { mixtureQuantile, mm1Attainment } from '../../src/sim/queueing.ts';

export function preset(name: string): Scenario {
  const r = parseScenario(JSON.parse(readFileSync(new URL(`../../public/scenarios/${name}.json`, import.meta.url), 'utf8')));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

describe('shipped scenarios under k8s-default', () => {
  it.each(['small-mixed', 'whole-gpu-waste', 'gang-deadlock', 'tidal-day', 'cpu-starved'])('%s is deterministic', (name) => {
    const s = preset(name);
    const a = simulate(s);
    const b = simulate(s);
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.summary).toEqual(b.summary);
    expect(a.series.length).toBe(Math.ceil(s.sim.durationS / s.sim.metricsStepS));
    // another seed is another run: the tie-breaks (and arrivals, where random) draw from other streams
    const c = simulate(s, { seed: s.sim.seed + 1 });
    expect(c.seed).toBe(s.sim.seed + 1);
    expect(c.traceHash).not.toBe(a.traceHash);
    expect(simulate(s, { seed: s.sim.seed + 1 }).traceHash).toBe(c.traceHash);
  });

  it('reproduces the gang deadlock: both jobs hold half their GPUs and neither progresses', () => {
    const r = simulate(preset('gang-deadlock'));
    // Each job is 4 workers × 4 GPUs = 16 GPUs on a 16-GPU cluster. Workers are created one per second and
    // interleave: job-a-w0, job-b-w0, job-a-w1, job-b-w1 fill both nodes, then w2/w3 of both wait forever.
    expect(r.summary.training.jobs).toBe(2);
    expect(r.summary.training.completed).toBe(0);
    expect(r.summary.allocationPct).toBeCloseTo(100, 0);
    expect(r.summary.utilizationPct).toBe(0);
    expect(r.summary.podsPendingAtEnd).toBe(4);
    expect(r.series.at(-1)!.trainingProgressPct).toBe(0);
    expect(r.unschedulable.map((u) => u.pod).sort()).toEqual(['job-a-w2', 'job-a-w3', 'job-b-w2', 'job-b-w3']);
    expect(r.unschedulable[0].reason).toBe('0/2 nodes are available: 2 Insufficient nvidia.com/gpu.');
  });

  it('the same jobs one after the other both finish (the deadlock is about interleaving, not capacity)', () => {
    const s = preset('gang-deadlock');
    const w = s.workloads.map((x) => ({ ...x }));
    (w[1] as { arrivalS: number }).arrivalS = 60;
    const r = simulate({ ...s, workloads: w });
    expect(r.summary.training.completed).toBe(2);
    // 128 GPU-hours at A100 speed on 16 H100s (989/312 = 3.17× faster), across two nodes in one rack:
    // the ideal (one 16-GPU NVSwitch node) does not exist, so the ideal bandwidth is the rack network too.
    expect(r.summary.training.meanSlowdown).toBeGreaterThanOrEqual(1);
  });

  it('whole GPUs waste memory: allocation near 100% while the pods need a small part of it', () => {
    const r = simulate(preset('whole-gpu-waste'));
    // 12 services × 2 replicas + notebooks each take a whole 80 GiB A100 for 10–12 GiB of real need.
    expect(r.summary.gpuMemBookedPct).toBeGreaterThan(80);
    expect(r.summary.gpuMemUsedPct).toBeLessThan(20);
    expect(r.summary.utilizationPct).toBeLessThan(20);
    expect(r.summary.meanWaitS).toBeGreaterThan(600); // notebooks queue behind whole-GPU replicas
  });

  it('a CPU-starved node strands its free GPUs', () => {
    const r = simulate(preset('cpu-starved'));
    expect(r.summary.strandedGpusAvg).toBeGreaterThan(4);
    expect(Math.max(...r.series.map((x) => x.strandedGpus))).toBeGreaterThanOrEqual(8);
  });

  it('tidal inference: allocation follows the tide while utilization stays below it', () => {
    const r = simulate(preset('tidal-day'));
    const byHour = (h: number) => r.series.find((x) => x.tS === h * 3600)!;
    expect(byHour(15).inferenceQps).toBeGreaterThan(byHour(3).inferenceQps * 5);
    expect(byHour(15).allocationPct).toBeGreaterThan(byHour(3).allocationPct);
    expect(r.summary.utilizationPct).toBeLessThan(r.summary.allocationPct / 1.5);
    expect(r.summary.inference.sloAttainmentPct).toBeGreaterThan(90);
  });
});

describe('Simulation stepping', () => {
  it('running in slices gives the same trace as running at once', () => {
    const s = preset('small-mixed');
    const whole = simulate(s);
    const sim = new Simulation(s);
    for (let t = 0; !sim.runUntil(t); t += 977);
    expect(sim.result().traceHash).toBe(whole.traceHash);
  });
  it('stepEvent advances one event at a time, never back in time', () => {
    const sim = new Simulation(preset('gang-deadlock'));
    let last = 0;
    for (let i = 0; i < 50 && sim.stepEvent(); i++) {
      expect(sim.nowS).toBeGreaterThanOrEqual(last);
      last = sim.nowS;
    }
    expect(last).toBeGreaterThan(0);
  });
});

describe('demand curves', () => {
  it.each([
    // diurnal: trough + (peak − trough)·(1 + cos(2π(h − peakHour)/24))/2; at the peak hour → peak, 12 h later → trough
    [{ shape: 'diurnal', peakQps: 100, troughQps: 10, peakHour: 14 } as DemandCurve, 14 * 3600, 100],
    [{ shape: 'diurnal', peakQps: 100, troughQps: 10, peakHour: 14 } as DemandCurve, 2 * 3600, 10],
    [{ shape: 'diurnal', peakQps: 100, troughQps: 10, peakHour: 14 } as DemandCurve, 20 * 3600, 55],
    [{ shape: 'flat', qps: 7 } as DemandCurve, 12345, 7],
    // points: linear between (6, 10) and (12, 40) → at 9 h: 25; wraps from (18, 20) to next day's (6, 10): at 0 h: 20 − 10·6/12 = 15
    [{ shape: 'points', points: [{ hour: 6, qps: 10 }, { hour: 12, qps: 40 }, { hour: 18, qps: 20 }] } as DemandCurve, 9 * 3600, 25],
    [{ shape: 'points', points: [{ hour: 6, qps: 10 }, { hour: 12, qps: 40 }, { hour: 18, qps: 20 }] } as DemandCurve, 0, 15],
    // spiky: 4 spikes a day of 30 min → at 00:10 inside a spike, at 01:00 outside
    [{ shape: 'spiky', baseQps: 5, spikeQps: 50, spikesPerDay: 4, spikeMinutes: 30 } as DemandCurve, 600, 50],
    [{ shape: 'spiky', baseQps: 5, spikeQps: 50, spikesPerDay: 4, spikeMinutes: 30 } as DemandCurve, 3600, 5],
  ])('%o at %i s → %d qps', (curve, t, qps) => {
    expect(demandAt(curve, t)).toBeCloseTo(qps, 9);
  });
});

describe('M/M/1 latency', () => {
  it('attainment = 1 − e^{−(μ−λ)·SLO}', () => {
    // μ = 10/s, λ = 8/s, SLO 0.5 s → 1 − e^{−1} = 0.632
    expect(mm1Attainment({ lambda: 8, mu: 10 }, 0.5)).toBeCloseTo(1 - Math.exp(-1), 12);
    expect(mm1Attainment({ lambda: 10, mu: 10 }, 5)).toBe(0);
  });
  it('mixture quantile of one queue is −ln(1 − q)/(μ − λ)', () => {
    // median of exp(rate 2) = ln 2 / 2 = 0.3466 s
    expect(mixtureQuantile([{ lambda: 8, mu: 10 }], 0.5)).toBeCloseTo(Math.log(2) / 2, 6);
    expect(mixtureQuantile([{ lambda: 8, mu: 10 }, { lambda: 8, mu: 4 }], 0.9)).toBe(Infinity);
  });
});
