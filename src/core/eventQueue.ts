/**
 * A binary-heap event queue ordered by (time, priority, sequence), as SimPy orders its events: the rising
 * sequence number makes equal-time, equal-priority events run in insertion order, so runs are deterministic.
 */
export interface QueuedEvent<T> {
  readonly timeS: number;
  readonly priority: number;
  readonly seq: number;
  readonly payload: T;
}

/** Min-heap of events; lower time first, then lower priority value, then earlier insertion. */
export class EventQueue<T> {
  private heap: QueuedEvent<T>[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Adds an event; returns it (its `seq` identifies it). */
  push(timeS: number, priority: number, payload: T): QueuedEvent<T> {
    if (!Number.isFinite(timeS)) throw new RangeError(`invalid event time: ${timeS}`);
    const ev: QueuedEvent<T> = { timeS, priority, seq: this.nextSeq++, payload };
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(ev, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = ev;
    return ev;
  }

  /** The next event without removing it. */
  peek(): QueuedEvent<T> | undefined {
    return this.heap[0];
  }

  /** Removes and returns the next event. */
  pop(): QueuedEvent<T> | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(h[r], h[l]) ? r : l;
        if (!before(h[c], last)) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

function before<T>(a: QueuedEvent<T>, b: QueuedEvent<T>): boolean {
  if (a.timeS !== b.timeS) return a.timeS < b.timeS;
  if (a.priority !== b.priority) return a.priority < b.priority;
  return a.seq < b.seq;
}
