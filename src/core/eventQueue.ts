/**
 * A binary-heap event queue ordered by (time, priority, sequence), as SimPy orders its events: the rising
 * sequence number makes equal-time, equal-priority events run in insertion order, so runs are deterministic.
 * The heap keeps time, priority and sequence in typed arrays beside the payloads, so queueing an event
 * allocates nothing but its payload (the simulator queues about a million per long run).
 */
export interface QueuedEvent<T> {
  readonly timeS: number;
  readonly priority: number;
  readonly seq: number;
  readonly payload: T;
}

/** Min-heap of events; lower time first, then lower priority value, then earlier insertion. */
export class EventQueue<T> {
  private timeS = new Float64Array(64);
  private priority = new Float64Array(64);
  private seqs = new Float64Array(64);
  private payloads: (T | undefined)[] = [];
  private n = 0;
  private nextSeq = 0;

  get size(): number {
    return this.n;
  }

  /** Adds an event; returns its sequence number (which identifies it). */
  push(timeS: number, priority: number, payload: T): number {
    if (!Number.isFinite(timeS)) throw new RangeError(`invalid event time: ${timeS}`);
    if (this.n === this.timeS.length) this.grow();
    const seq = this.nextSeq++;
    const t = this.timeS;
    const p = this.priority;
    const s = this.seqs;
    const pl = this.payloads;
    let i = this.n++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      // Stop when the parent comes first (its seq is always lower, so equal time and priority stop too).
      if (t[up] < timeS || (t[up] === timeS && p[up] <= priority)) break;
      t[i] = t[up];
      p[i] = p[up];
      s[i] = s[up];
      pl[i] = pl[up];
      i = up;
    }
    t[i] = timeS;
    p[i] = priority;
    s[i] = seq;
    pl[i] = payload;
    return seq;
  }

  /** Time of the next event, or Infinity when the queue is empty. */
  peekTimeS(): number {
    return this.n > 0 ? this.timeS[0] : Infinity;
  }

  /** The next event without removing it. */
  peek(): QueuedEvent<T> | undefined {
    if (this.n === 0) return undefined;
    return { timeS: this.timeS[0], priority: this.priority[0], seq: this.seqs[0], payload: this.payloads[0] as T };
  }

  /** Removes and returns the next event. */
  pop(): QueuedEvent<T> | undefined {
    const top = this.peek();
    if (top) this.popPayload();
    return top;
  }

  /** Removes the next event and returns its payload (the queue must not be empty). */
  popPayload(): T {
    const t = this.timeS;
    const p = this.priority;
    const s = this.seqs;
    const pl = this.payloads;
    const top = pl[0] as T;
    const n = --this.n;
    // Sift the last element down from the root.
    const lt = t[n];
    const lp = p[n];
    const ls = s[n];
    const lpl = pl[n];
    pl[n] = undefined;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(t[r], p[r], s[r], t[l], p[l], s[l]) ? r : l;
        if (!before(t[c], p[c], s[c], lt, lp, ls)) break;
        t[i] = t[c];
        p[i] = p[c];
        s[i] = s[c];
        pl[i] = pl[c];
        i = c;
      }
      t[i] = lt;
      p[i] = lp;
      s[i] = ls;
      pl[i] = lpl;
    }
    return top;
  }

  private grow(): void {
    const size = this.timeS.length * 2;
    const t = new Float64Array(size);
    t.set(this.timeS);
    this.timeS = t;
    const p = new Float64Array(size);
    p.set(this.priority);
    this.priority = p;
    const s = new Float64Array(size);
    s.set(this.seqs);
    this.seqs = s;
  }
}

/** (time, priority, seq) of a before those of b. */
function before(ta: number, pa: number, sa: number, tb: number, pb: number, sb: number): boolean {
  if (ta !== tb) return ta < tb;
  if (pa !== pb) return pa < pb;
  return sa < sb;
}
