import { describe, expect, it } from 'vitest';
import { PlayAhead, type PlayAheadSource } from '../../src/ui/lib/playAhead.ts';

/** A frame of the fake simulation: its time and the events since the previous frame (a delta, like the worker's). */
interface FakeFrame {
  tS: number;
  events: number[];
  finished: boolean;
}

const DURATION_S = 20;
/** Event times of the fake simulation: irregular, so frame boundaries fall between them in many ways. */
const EVENTS = Array.from({ length: 60 }, (_, i) => Number(((i * 0.37 + (i % 7) * 0.05) % DURATION_S).toFixed(3))).sort((a, b) => a - b);

/** The fake worker: runs to the time asked (clamped, never back), answers calls in order after `delayMs()`. */
function fakeWorker(delayMs: () => number): PlayAheadSource<FakeFrame> & { calls: number } {
  let nowS = 0;
  let chain: Promise<unknown> = Promise.resolve();
  const src = {
    calls: 0,
    advance(tS: number): Promise<FakeFrame> {
      src.calls++;
      const run = chain.then(
        () =>
          new Promise<FakeFrame>((ok) => {
            setTimeout(() => {
              const target = Math.min(Math.max(tS, nowS), DURATION_S);
              const events = EVENTS.filter((e) => e > nowS && e <= target);
              // An event exactly at 0 is part of the first frame.
              if (nowS === 0) events.unshift(...EVENTS.filter((e) => e === 0));
              nowS = target;
              ok({ tS: target, events, finished: target >= DURATION_S });
            }, delayMs());
          }),
      );
      chain = run;
      return run;
    },
    timeOf: (f: FakeFrame) => f.tS,
    finished: (f: FakeFrame) => f.finished,
  };
  return src;
}

/** The events a simulation run straight to tS has seen (what the screen must show at tS). */
const stateAt = (tS: number): number[] => EVENTS.filter((e) => e <= tS);

// An animation frame of the test: long enough for a worker answering "at once" (a timer) to have answered.
const nextTick = (): Promise<void> => new Promise((ok) => setTimeout(ok, 5));

describe('PlayAhead: the simulation ahead of the clock', () => {
  it('shows, at every frame, the state a direct run to that time shows (random pace and worker delays)', async () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const worker = fakeWorker(() => Math.floor(rnd() * 4));
    const play = new PlayAhead(worker);
    play.start(0);
    const seen: number[] = [];
    const shown: number[] = [];
    let clockS = 0;
    for (let i = 0; i < 2000 && !(shown.length && shown[shown.length - 1] >= DURATION_S); i++) {
      const dtS = 0.02 + rnd() * 0.3;
      clockS += dtS;
      const r = play.tick(dtS);
      expect(r.error).toBeUndefined();
      for (const f of r.frames) {
        seen.push(...f.events);
        // Never shown before its time, never out of order, and the same state as a run straight to f.tS.
        expect(f.tS).toBeLessThanOrEqual(clockS + 1e-9);
        if (shown.length) expect(f.tS).toBeGreaterThanOrEqual(shown[shown.length - 1]);
        expect(seen).toEqual(stateAt(f.tS));
        shown.push(f.tS);
      }
      await nextTick();
    }
    expect(shown[shown.length - 1]).toBe(DURATION_S);
    expect(seen).toEqual(EVENTS);
  });

  it('has the next frame answered before it is due when the worker answers within an animation frame', async () => {
    const worker = fakeWorker(() => 0);
    const play = new PlayAhead(worker);
    play.start(0);
    const dtS = 0.25;
    const empty: number[] = [];
    for (let i = 0; i < 40; i++) {
      const r = play.tick(dtS);
      if (i > 0 && r.frames.length === 0) empty.push(i);
      // Each shown frame is the one due at this tick's clock.
      if (i > 0) expect(r.frames.map((f) => f.tS)).toEqual([i * dtS]);
      await nextTick();
    }
    // Every tick after the first has its frame ready (none waits on a round trip).
    expect(empty).toEqual([]);
  });

  it('slows the clock to a slow worker instead of jumping, and drains every asked frame in order when stopped', async () => {
    const worker = fakeWorker(() => 200);
    const play = new PlayAhead(worker);
    play.start(0);
    const shown: FakeFrame[] = [];
    for (let i = 0; i < 5; i++) {
      shown.push(...play.tick(1).frames);
      await nextTick();
    }
    // At most `depth` calls were queued, whatever the clock said.
    expect(worker.calls).toBe(2);
    const rest = await play.drain();
    expect(play.active).toBe(false);
    expect(play.busy).toBe(false);
    const all = [...shown, ...rest];
    expect(all.map((f) => f.tS)).toEqual([...all.map((f) => f.tS)].sort((a, b) => a - b));
    expect(all.flatMap((f) => f.events)).toEqual(stateAt(all[all.length - 1].tS));
    // The targets asked: one animation frame apart from the clock, not a jump across the stall.
    expect(all[all.length - 1].tS).toBeLessThanOrEqual(3);
  });

  it('stops at a failed call and reports its error', async () => {
    let n = 0;
    const play = new PlayAhead<FakeFrame>({
      advance: (tS) => (++n === 2 ? Promise.reject(new Error('worker broke')) : Promise.resolve({ tS, events: [], finished: false })),
      timeOf: (f) => f.tS,
      finished: (f) => f.finished,
    });
    play.start(0);
    let error: unknown;
    for (let i = 0; i < 6 && error === undefined; i++) {
      error = play.tick(1).error;
      await nextTick();
    }
    expect((error as Error).message).toBe('worker broke');
    expect(play.active).toBe(false);
  });
});
