/**
 * Playback that keeps the simulation ahead of the clock (issue 18 item 7). The worker is asked for the frames of
 * the next animation frames before they are due (up to `depth` calls queued in the worker), so a frame shown on
 * screen never waits on a worker round trip; a frame is shown only once the clock reaches its simulated time.
 *
 * The clock holds the chosen speed: a worker slower than the clock does not slow it. Its next calls aim where the
 * clock will be when they are answered (ahead by the lateness of the last answer), so the screen skips ahead to the
 * newest state the worker produced instead of stretching time; the clock runs at most `maxLagS` past the furthest
 * time asked for (bounded lag when the worker cannot keep up at all).
 *
 * Frames are deltas (what changed since the previous frame), so every frame is handed out, in the order the worker
 * answered. The state shown at a simulated time does not depend on the look-ahead or on the skipping: the worker's
 * advanceTo runs the simulation to the time asked and never back, and every frame reaches the caller, so the frame
 * at time t shows the state a run straight to t has.
 */

/** How play-ahead reaches the worker and reads a frame. */
export interface PlayAheadSource<F> {
  /** Asks the worker to advance to tS (simulated seconds) and answer with the frame there. */
  advance(tS: number): Promise<F>;
  /** The frame's simulated time (seconds). */
  timeOf(f: F): number;
  /** True when the frame is the last one (every run finished). */
  finished(f: F): boolean;
}

interface Ask<F> {
  targetS: number;
  settled: boolean;
  frame?: F;
  error?: unknown;
  failed: boolean;
  done: Promise<void>;
}

/** What one animation frame of playback gets: the frames due now, in order, or the error a call failed with. */
export interface PlayAheadTick<F> {
  frames: F[];
  error?: unknown;
}

/** The look-ahead queue of one playback: start at the shown time, tick once per animation frame, drain to stop. */
export class PlayAhead<F> {
  private queue: Ask<F>[] = [];
  private clockS = 0;
  private requestedS = 0;
  private ended = false;
  private running = false;
  /** How far behind the clock the last frame handed out was (simulated seconds): the next calls aim that far ahead. */
  private leadS = 0;

  /** @param depth Most worker calls queued ahead of the clock (2: one answering, one waiting). */
  constructor(private readonly source: PlayAheadSource<F>, private readonly depth = 2) {}

  /** True between start() and drain(). */
  get active(): boolean {
    return this.running;
  }

  /** True while a worker call is unanswered or an answered frame is not yet handed out. */
  get busy(): boolean {
    return this.queue.length > 0;
  }

  /** The playback clock (simulated seconds): where the screen should be; frames shown are at or before it. */
  get clock(): number {
    return this.clockS;
  }

  /** Starts the clock at the simulated time on screen (seconds). */
  start(shownS: number): void {
    this.clockS = shownS;
    this.requestedS = shownS;
    this.leadS = 0;
    this.ended = false;
    this.running = true;
    this.queue = [];
  }

  /**
   * One animation frame: the clock moves `dtS` simulated seconds, whether the worker kept up or not (but at most
   * `maxLagS` past the furthest time asked for); the frames at or before the clock are handed out, and calls are
   * queued so the worker answers the next frames before they are due.
   */
  tick(dtS: number, maxLagS = Infinity): PlayAheadTick<F> {
    if (!this.running) return { frames: [] };
    this.clockS = Math.min(this.clockS + Math.max(dtS, 0), Math.max(this.requestedS + Math.max(maxLagS, 0), this.clockS));
    const frames: F[] = [];
    while (this.queue.length && this.queue[0].settled) {
      const head = this.queue[0];
      if (head.failed) {
        this.queue = [];
        this.running = false;
        return { frames, error: head.error };
      }
      const f = head.frame as F;
      const last = this.source.finished(f);
      if (this.source.timeOf(f) > this.clockS) break;
      this.queue.shift();
      frames.push(f);
      if (last) this.ended = true;
      // An answer that came after its time: the clock outran the worker by this much.
      this.leadS = Math.min(Math.max(0, this.clockS - this.source.timeOf(f)), maxLagS);
    }
    // Each call asks one animation frame further than the last (at this tick's pace), and no earlier than where
    // the clock will be when it is answered (the lead), so a late worker catches up instead of trailing.
    const stepS = Math.max(dtS, 1e-9);
    while (!this.ended && this.queue.length < this.depth) {
      const targetS = Math.max(this.requestedS, this.clockS + this.leadS) + stepS;
      this.ask(targetS);
    }
    return { frames };
  }

  /**
   * Stops: waits for every queued call and hands out all their frames in order (the screen moves to the time the
   * worker reached, at most `depth` animation frames ahead). Rejects with the first call's error.
   */
  async drain(): Promise<F[]> {
    this.running = false;
    const asks = this.queue;
    this.queue = [];
    await Promise.all(asks.map((a) => a.done));
    const bad = asks.find((a) => a.failed);
    if (bad) throw bad.error;
    return asks.map((a) => a.frame as F);
  }

  private ask(targetS: number): void {
    this.requestedS = targetS;
    const a: Ask<F> = { targetS, settled: false, failed: false, done: Promise.resolve() };
    a.done = this.source.advance(targetS).then(
      (f) => {
        a.frame = f;
        a.settled = true;
      },
      (e: unknown) => {
        a.error = e;
        a.failed = true;
        a.settled = true;
      },
    );
    this.queue.push(a);
  }
}
