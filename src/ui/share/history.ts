/**
 * Undo/redo for the working scenario, with an explicit capture policy:
 * - `record(next)` is one step (a button, a menu action, a pasted value);
 * - consecutive `record(next, { coalesce: key })` calls with the same key are one step (typing in one field),
 *   until any other edit, an undo or a redo breaks the run;
 * - a gesture (a drag, a slider, a freehand curve) is `begin()`, any number of `preview(next)`, then `commit()`:
 *   one step from the state at `begin()` to the last preview; `cancel()` puts the state at `begin()` back;
 * - an edit that changes nothing (same JSON) is not a step.
 * Values are treated as immutable snapshots; the history keeps at most `limit` undo steps.
 */

/** Options of one recorded edit. */
export interface RecordOptions {
  /** Edits with the same key in a row collapse into one undo step. */
  coalesce?: string;
}

/** A linear undo/redo history of immutable snapshots. */
export class UndoHistory<T> {
  private past: T[] = [];
  private future: T[] = [];
  private current: T;
  private lastKey: string | null = null;
  private gestureStart: T | null = null;

  constructor(initial: T, readonly limit = 200, private readonly same: (a: T, b: T) => boolean = jsonEqual) {
    this.current = initial;
  }

  /** The current value. */
  get value(): T {
    return this.current;
  }

  /** True while a gesture is open (between begin and commit/cancel). */
  get inGesture(): boolean {
    return this.gestureStart !== null;
  }

  /** Undo steps available. */
  get undoDepth(): number {
    return this.past.length;
  }

  /** Redo steps available. */
  get redoDepth(): number {
    return this.future.length;
  }

  /** Records a discrete edit; returns false when it changed nothing. An open gesture is committed first. */
  record(next: T, options: RecordOptions = {}): boolean {
    if (this.gestureStart !== null) this.commit();
    if (this.same(next, this.current)) return false;
    const key = options.coalesce ?? null;
    if (!(key !== null && key === this.lastKey && this.past.length > 0)) this.pushPast(this.current);
    this.current = next;
    this.future = [];
    this.lastKey = key;
    return true;
  }

  /** Starts a gesture: previews until commit() make one undo step. Starting twice keeps the first start. */
  begin(): void {
    if (this.gestureStart === null) this.gestureStart = this.current;
  }

  /** Shows an intermediate value of the open gesture (no undo step; starts a gesture if none is open). */
  preview(next: T): void {
    this.begin();
    this.current = next;
  }

  /** Ends the gesture: one undo step from its start to the current value (none if nothing changed). */
  commit(): boolean {
    const start = this.gestureStart;
    if (start === null) return false;
    this.gestureStart = null;
    this.lastKey = null;
    if (this.same(start, this.current)) {
      this.current = start;
      return false;
    }
    this.pushPast(start);
    this.future = [];
    return true;
  }

  /** Abandons the gesture and restores the value it started from. */
  cancel(): void {
    if (this.gestureStart === null) return;
    this.current = this.gestureStart;
    this.gestureStart = null;
  }

  /** Steps back; an open gesture is cancelled first. Returns false when there is nothing to undo. */
  undo(): boolean {
    return this.move(this.past, this.future);
  }

  /** Steps forward again. Returns false when there is nothing to redo. */
  redo(): boolean {
    return this.move(this.future, this.past);
  }

  /** Takes back the last step without keeping it for redo; returns false when there is none. */
  drop(): boolean {
    return this.move(this.past, null);
  }

  /** Makes the top of `from` current, pushing the current value on `to` (null: forgotten). */
  private move(from: T[], to: T[] | null): boolean {
    this.cancel();
    const v = from.pop();
    if (v === undefined) return false;
    to?.push(this.current);
    this.current = v;
    this.lastKey = null;
    return true;
  }

  /** Forgets every step and starts over from `value` (opening another scenario is itself recorded by the caller). */
  reset(value: T): void {
    this.past = [];
    this.future = [];
    this.current = value;
    this.lastKey = null;
    this.gestureStart = null;
  }

  private pushPast(v: T): void {
    this.past.push(v);
    if (this.past.length > this.limit) this.past.splice(0, this.past.length - this.limit);
  }
}

/** Structural equality of JSON-like values, ignoring the order of object keys (stores may reorder them). */
export function jsonEqual<T>(a: T, b: T): boolean {
  return a === b || canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted, so that equal values give equal strings. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) return x;
    const o = x as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  });
}
