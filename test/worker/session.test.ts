/** The workbench session: lockstep runs, frames, replay on seek back, "why here?" and GPU history. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { simulate } from '../../src/sim/simulation.ts';
import { WorkbenchSession } from '../../src/worker/session.ts';

function preset(name: string, profiles?: string[]): Scenario {
  const json = JSON.parse(readFileSync(new URL(`../../public/scenarios/${name}.json`, import.meta.url), 'utf8'));
  if (profiles) json.schedulers = profiles.map((profile) => ({ profile }));
  const r = parseScenario(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

describe('WorkbenchSession', () => {
  it('runs every scheduler in lockstep and ends with the same traceHash and summary as a plain run', () => {
    const s = preset('whole-gpu-waste', ['k8s-default', 'hami-binpack']);
    const session = new WorkbenchSession(s);
    // Advance in uneven slices, as the animation does.
    for (const t of [1, 7, 600, 601, 5000, 9999]) {
      const f = session.advanceTo(t);
      expect(f.tS).toBe(Math.min(t, s.sim.durationS));
      expect(f.runs.map((r) => r.tS)).toEqual([f.tS, f.tS]);
    }
    const last = session.advanceTo(s.sim.durationS);
    for (const i of [0, 1]) {
      const plain = simulate(s, { schedulerIndex: i });
      expect(last.runs[i].traceHash).toBe(plain.traceHash);
      expect(last.runs[i].finished).toBe(true);
      expect(last.runs[i].summary.podsBound).toBe(plain.summary.podsBound);
      expect(last.runs[i].summary.allocationPct).toBeCloseTo(plain.summary.allocationPct, 9);
    }
    expect(last.runs[0].traceHash).not.toBe(last.runs[1].traceHash);
  });

  it('streams the metric series once: each frame carries only the samples after the previous one', () => {
    const s = preset('small-mixed');
    const session = new WorkbenchSession(s);
    const got: number[] = [];
    for (let t = 0; t <= s.sim.durationS; t += 1234) {
      const r = session.advanceTo(t).runs[0];
      expect(r.seriesFrom).toBe(got.length);
      got.push(...r.samples.map((x) => x.tS));
    }
    const end = session.advanceTo(s.sim.durationS).runs[0];
    got.splice(end.seriesFrom, Infinity, ...end.samples.map((x) => x.tS));
    expect(got).toEqual(simulate(s).series.map((x) => x.tS));
  });

  it('reports binds as events and books every slice on a real GPU', () => {
    const s = preset('whole-gpu-waste');
    const session = new WorkbenchSession(s);
    const f = session.advanceTo(120).runs[0];
    const binds = f.changes.filter((e) => e.type === 'bind');
    expect(binds.length).toBeGreaterThan(0);
    for (const e of binds) expect(f.names[e.uid]).toBe(e.pod);
    // k8s-default books whole GPUs: every slice is 1000 milli and each GPU has at most one tenant.
    expect([...f.sliceMilli].every((m) => m === 1000)).toBe(true);
    expect(new Set(f.sliceGpu).size).toBe(f.sliceGpu.length);
    // Booked milli per GPU equals the sum of its slices.
    const sum = new Map<number, number>();
    f.sliceGpu.forEach((g, i) => sum.set(g, (sum.get(g) ?? 0) + f.sliceMilli[i]));
    for (const [g, m] of sum) expect(f.gpuMilli[g]).toBe(m);
    // The next frame with nothing new to bind repeats no bind.
    const again = session.advanceTo(120).runs[0];
    expect(again.changes).toEqual([]);
  });

  it('seeking back replays to the same state the run had then', () => {
    const s = preset('small-mixed', ['k8s-default', 'hami-binpack']);
    const a = new WorkbenchSession(s);
    const at = a.advanceTo(20000);
    a.advanceTo(60000);
    const back = a.seek(20000);
    expect(back.replayed).toBe(true);
    for (const i of [0, 1]) {
      expect(back.runs[i].traceHash).toBe(at.runs[i].traceHash);
      expect([...back.runs[i].gpuMilli]).toEqual([...at.runs[i].gpuMilli]);
      expect(back.runs[i].pendingCount).toBe(at.runs[i].pendingCount);
      // After a replay the whole series is sent again from the start.
      expect(back.runs[i].seriesFrom).toBe(0);
      expect(back.runs[i].samples.length).toBe(at.runs[i].seriesFrom + at.runs[i].samples.length);
    }
  });

  it('steps one event at a time, never moving the clock back', () => {
    const s = preset('gang-deadlock', ['k8s-default', 'volcano']);
    const session = new WorkbenchSession(s);
    let t = 0;
    let binds = 0;
    for (let i = 0; i < 40; i++) {
      const f = session.stepEvent();
      expect(f.tS).toBeGreaterThanOrEqual(t);
      t = f.tS;
      binds += f.runs[0].changes.filter((e) => e.type === 'bind').length;
    }
    // Gang deadlock under k8s-default: 2 jobs × 4 workers of 4 GPUs on 16 GPUs: only 4 workers ever bind.
    session.advanceTo(s.sim.durationS);
    expect(binds).toBeLessThanOrEqual(4);
  });

  it('explains a bound pod at its decision and a waiting pod now', () => {
    const s = preset('gang-deadlock');
    const session = new WorkbenchSession(s);
    const f = session.advanceTo(3600).runs[0];
    const boundUid = f.sliceUid[0];
    const boundName = f.names[boundUid];
    const why = session.explain(0, boundName)!;
    expect(why.phase).toBe('bound');
    expect(why.at).toBe('decision');
    expect(why.explanation?.top.length).toBeGreaterThan(0);
    expect(why.decisions.some((d) => d.node === why.node)).toBe(true);
    const waiting = f.pending[0];
    const w = session.explain(0, waiting.pod)!;
    expect(w.at).toBe('now');
    expect(w.explanation?.node).toBeNull();
    // 2 nodes × 8 GPUs, all 16 held by the four bound workers: both nodes reject the 4-GPU worker.
    expect(Object.values(w.explanation!.rejected).reduce((a, b) => a + b, 0)).toBe(2);
    expect(session.explain(0, 'no-such-pod')).toBeNull();
  });

  it('gives a GPU history whose last state matches the frame', () => {
    const s = preset('whole-gpu-waste', ['hami-binpack']);
    const session = new WorkbenchSession(s);
    const f = session.advanceTo(7200).runs[0];
    const g = f.sliceGpu[0];
    const node = session.layout.nodes.findIndex((n) => g >= n.gpuOffset && g < n.gpuOffset + n.gpus);
    const h = session.gpuHistory(0, node, g - session.layout.nodes[node].gpuOffset)!;
    expect(h.entries.length).toBeGreaterThan(0);
    const tenants = new Set<string>();
    for (const e of h.entries) {
      if (e.action === 'in') tenants.add(e.pod);
      else tenants.delete(e.pod);
    }
    const now = [...f.sliceGpu].flatMap((x, i) => (x === g ? [f.names[f.sliceUid[i]] ?? ''] : []));
    expect([...tenants].sort()).toEqual(now.sort());
    expect(h.entries[h.entries.length - 1].usedMilli).toBe(f.gpuMilli[g]);
  });
});
