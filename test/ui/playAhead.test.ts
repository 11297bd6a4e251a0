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

/** A fake worker answering only when told (answerAll), in order, each call at the time it asked (clamped, never back). */
function manualWorker(): PlayAheadSource<FakeFrame> & { asked: number[]; answerAll(): Promise<void> } {
  let nowS = 0;
  const waiting: { tS: number; ok: (f: FakeFrame) => void }[] = [];
  return {
    asked: [],
    advance(tS: number): Promise<FakeFrame> {
      this.asked.push(tS);
      return new Promise((ok) => waiting.push({ tS, ok }));
    },
    async answerAll(): Promise<void> {
      for (const w of waiting.splice(0)) {
        const target = Math.min(Math.max(w.tS, nowS), DURATION_S);
        const events = EVENTS.filter((e) => (nowS === 0 ? e >= 0 : e > nowS) && e <= target);
        nowS = target;
        w.ok({ tS: target, events, finished: target >= DURATION_S });
      }
      // Let the answers' callbacks run (PlayAhead marks them settled).
      await new Promise((ok) => setTimeout(ok, 0));
    },
    timeOf: (f: FakeFrame) => f.tS,
    finished: (f: FakeFrame) => f.finished,
  };
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
      // Each shown frame is the one due at this tick's clock (the clock moved dtS in the first tick too).
      if (i > 0) expect(r.frames.map((f) => f.tS)).toEqual([(i + 1) * dtS]);
      await nextTick();
    }
    // Every tick after the first has its frame ready (none waits on a round trip).
    expect(empty).toEqual([]);
  });

  it('holds the speed when the worker falls behind: skips ahead to its newest state, every frame a direct run\'s state', async () => {
    const worker = manualWorker();
    const play = new PlayAhead(worker);
    play.start(0);
    const shown: FakeFrame[] = [];
    const seen: number[] = [];
    const take = (frames: FakeFrame[]): void => {
      for (const f of frames) {
        seen.push(...f.events);
        expect(seen).toEqual(stateAt(f.tS));
        shown.push(f);
      }
    };
    // The first tick moves the clock to 1 and asks for 2 and 3 (depth 2); then four ticks without an answer: the
    // clock still moves 1 s per tick.
    for (let i = 0; i < 5; i++) take(play.tick(1).frames);
    expect(play.clock).toBe(5);
    expect(worker.asked).toEqual([2, 3]);
    await worker.answerAll();
    // Clock 6: both late frames are shown at once; the last was 3 s late, so the next calls aim 3 s past the clock
    // (9 + one tick: 10, then 11) instead of trailing it.
    take(play.tick(1).frames);
    expect(shown.map((f) => f.tS)).toEqual([2, 3]);
    expect(worker.asked).toEqual([2, 3, 10, 11]);
    for (let i = 0; i < 3; i++) take(play.tick(1).frames);
    expect(play.clock).toBe(9);
    await worker.answerAll();
    // Clock 10 and 11: the frames at 10 and 11 appear as the clock reaches them: the screen caught up with the clock.
    for (let i = 0; i < 2; i++) take(play.tick(1).frames);
    expect(play.clock).toBe(11);
    expect(shown.map((f) => f.tS)).toEqual([2, 3, 10, 11]);
    // On time again: no lead, the next call is one tick past the furthest asked.
    expect(worker.asked).toEqual([2, 3, 10, 11, 12, 13]);
  });

  it('bounds the lag: the clock runs at most maxLagS past the furthest time asked while the worker is silent', async () => {
    const worker = manualWorker();
    const play = new PlayAhead(worker);
    play.start(0);
    for (let i = 0; i < 10; i++) play.tick(1, 3);
    // The first tick asked for 2 and 3; then the clock stops 3 s past 3.
    expect(play.clock).toBe(6);
    // Stopping shows every asked frame, in order.
    const drained = play.drain();
    await worker.answerAll();
    expect((await drained).map((f) => f.tS)).toEqual([2, 3]);
    expect(play.active).toBe(false);
    expect(play.busy).toBe(false);
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
