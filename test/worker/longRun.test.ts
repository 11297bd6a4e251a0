/**
 * Long runs in slices (src/worker/longRun.ts): slicing never changes a run, progress is reported, a cancelled
 * run forwards stops at a usable state, a cancelled jump back leaves the previous state as it was.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { runLong, type LongRunHooks, type LongRunProgress } from '../../src/worker/longRun.ts';
import { WorkbenchSession } from '../../src/worker/session.ts';

function preset(name: string, profiles: string[]): Scenario {
  const json = JSON.parse(readFileSync(new URL(`../../public/scenarios/${name}.json`, import.meta.url), 'utf8'));
  json.schedulers = profiles.map((profile) => ({ profile }));
  const r = parseScenario(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

const SCENARIO = preset('whole-gpu-waste', ['k8s-default', 'hami-binpack']);
const END = SCENARIO.sim.durationS;

/** Hooks with a fake clock: every reading is 100 ms later, so each slice "takes" 100 ms (> sliceMs) and stays small. */
function hooks(cancelAfter = Infinity): LongRunHooks & { seen: LongRunProgress[] } {
  let ms = 0;
  const seen: LongRunProgress[] = [];
  return {
    seen,
    nowMs: () => (ms += 100),
    yieldToEvents: () => Promise.resolve(),
    cancelled: () => seen.length >= cancelAfter,
    onProgress: (p) => void seen.push(p),
    sliceMs: 40,
  };
}

const hashes = (s: WorkbenchSession): string[] => s.simulations().map((x) => x.traceHash());

describe('runLong', () => {
  it('runs to the end in many slices with the same traceHash as one advanceTo, reporting monotone progress', async () => {
    const whole = new WorkbenchSession(SCENARIO);
    const expected = whole.advanceTo(END);
    const session = new WorkbenchSession(SCENARIO);
    const h = hooks();
    const out = await runLong(session, END, h, () => new WorkbenchSession(SCENARIO));
    expect(out.session).toBe(session);
    expect(out.result.cancelled).toBe(false);
    expect(out.result.frame?.runs.map((r) => r.traceHash)).toEqual(expected.runs.map((r) => r.traceHash));
    expect(out.result.frame?.runs.every((r) => r.finished)).toBe(true);
    // First slice: (END − 0) / 500 of the way; each later one at most ×¼ of it while a slice takes 100 > 40 ms,
    // floored at 1 s: so many slices, not one.
    expect(h.seen.length).toBeGreaterThan(10);
    for (let i = 1; i < h.seen.length; i++) expect(h.seen[i].atS).toBeGreaterThanOrEqual(h.seen[i - 1].atS);
    expect(h.seen.every((p) => p.kind === 'run' && p.fromS === 0 && p.toS === END)).toBe(true);
  });

  it('cancelled forwards: stops at a slice boundary with every run at the same time, and goes on from there', async () => {
    const session = new WorkbenchSession(SCENARIO);
    const out = await runLong(session, END, hooks(5), () => new WorkbenchSession(SCENARIO));
    expect(out.result.cancelled).toBe(true);
    const f = out.result.frame;
    if (!f) throw new Error('a cancelled forward run returns the frame where it stopped');
    expect(f.tS).toBeGreaterThan(0);
    expect(f.tS).toBeLessThan(END);
    expect(new Set(f.runs.map((r) => r.tS))).toEqual(new Set([f.tS]));
    // Usable: finishing from there gives the uninterrupted run.
    const rest = session.advanceTo(END);
    expect(rest.runs.map((r) => r.traceHash)).toEqual(new WorkbenchSession(SCENARIO).advanceTo(END).runs.map((r) => r.traceHash));
  });

  it('a jump back replays a fresh session to the target (frame marked replayed, same state as running there)', async () => {
    const session = new WorkbenchSession(SCENARIO);
    session.advanceTo(END);
    const h = hooks();
    const out = await runLong(session, 3600, h, () => new WorkbenchSession(SCENARIO));
    expect(out.session).not.toBe(session);
    expect(out.result.frame?.replayed).toBe(true);
    expect(out.result.frame?.tS).toBe(3600);
    const direct = new WorkbenchSession(SCENARIO);
    direct.advanceTo(3600);
    expect(hashes(out.session)).toEqual(hashes(direct));
    expect(h.seen.every((p) => p.kind === 'replay' && p.toS === 3600)).toBe(true);
  });

  it('a cancelled jump back keeps the previous state exactly (no frame)', async () => {
    const session = new WorkbenchSession(SCENARIO);
    session.advanceTo(5 * 3600);
    const before = hashes(session);
    const out = await runLong(session, 3600, hooks(3), () => new WorkbenchSession(SCENARIO));
    expect(out.result).toEqual({ cancelled: true, frame: null });
    expect(out.session).toBe(session);
    expect(session.nowS).toBe(5 * 3600);
    expect(hashes(session)).toEqual(before);
  });

  it('a target past the end is clamped to the duration', async () => {
    const out = await runLong(new WorkbenchSession(SCENARIO), END * 10, hooks(), () => new WorkbenchSession(SCENARIO));
    expect(out.result.frame?.tS).toBe(END);
  });
});

describe('runLong at time 0', () => {
  it('a jump back to 0 runs the events at 0, as seek(0) does', async () => {
    const session = new WorkbenchSession(SCENARIO);
    session.advanceTo(3600);
    const out = await runLong(session, 0, hooks(), () => new WorkbenchSession(SCENARIO));
    const direct = new WorkbenchSession(SCENARIO);
    const expected = direct.seek(0);
    expect(out.result.frame?.runs.map((r) => r.traceHash)).toEqual(expected.runs.map((r) => r.traceHash));
    // whole-gpu-waste binds its first replicas at 0 s.
    expect(out.result.frame?.runs[0].sliceGpu.length).toBeGreaterThan(0);
  });
});
