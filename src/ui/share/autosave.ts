/**
 * Autosave of the working scenario to Web Storage (localStorage in the app, a fake in tests). One record under
 * one key: `{ kind: "slicebench/autosave", v: 1, scenario, view }`. A record that cannot be read back (written by
 * a newer version, or damaged) is never overwritten silently: it is moved aside to `<key>.unreadable` first.
 */
import type { Scenario } from '../../scenario/types.ts';
import { parseScenario } from '../../scenario/validate.ts';
import type { ViewState } from '../../scenario/urlCodec.ts';

/** The part of the Web Storage API the autosave uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const AUTOSAVE_KEY = 'slicebench.autosave';
const RECORD_KIND = 'slicebench/autosave';

/** What a saved record holds. */
export interface SavedWork {
  scenario: Scenario;
  view: ViewState;
}

export type LoadResult = { ok: true; saved: SavedWork } | { ok: false; empty: boolean; error: string };

/** Reads and writes the saved work; storage failures (quota, private mode) become messages, not exceptions. */
export class Autosave {
  /** The last error of a save (e.g. quota exceeded), or null. */
  lastError: string | null = null;
  private unreadable = false;
  /** The record this page last wrote or restored (a `storage` event with other text came from another tab). */
  private lastWritten: string | null = null;

  constructor(private readonly storage: StorageLike | null, readonly key = AUTOSAVE_KEY) {}

  /** Reads the saved work. */
  load(): LoadResult {
    let text: string | null;
    try {
      text = this.storage?.getItem(this.key) ?? null;
    } catch (e) {
      return { ok: false, empty: true, error: `Saved work could not be read (${(e as Error).message}).` };
    }
    if (text === null) return { ok: false, empty: true, error: 'Nothing saved yet.' };
    const r = readRecord(text);
    if (!r.ok) this.unreadable = true;
    else this.lastWritten = text;
    return r;
  }

  /**
   * True when `text` (the key's new value, from a `storage` event) is not what this page last wrote or read:
   * another tab saved its work over ours.
   */
  isForeign(text: string | null): boolean {
    return text !== this.lastWritten;
  }

  /** Writes the work (unless it is the record already there; `force`: always); false (and lastError) when the storage refuses. */
  save(work: SavedWork, force = false): boolean {
    if (!this.storage) return false;
    try {
      if (this.unreadable) {
        const old = this.storage.getItem(this.key);
        if (old !== null) this.storage.setItem(`${this.key}.unreadable`, old);
        this.unreadable = false;
      }
      const text = JSON.stringify({ kind: RECORD_KIND, v: 1, scenario: work.scenario, view: work.view });
      if (!force && text === this.lastWritten && this.lastError === null) return true;
      this.storage.setItem(this.key, text);
      this.lastWritten = text;
      this.lastError = null;
      return true;
    } catch (e) {
      const full = (e as { name?: string }).name === 'QuotaExceededError' || /quota|full/i.test((e as Error).message ?? '');
      this.lastError = full
        ? 'Your work is not being saved: this browser\'s storage for the site is full. The last saved version is kept; export the scenario (Export → Scenario (JSON)) to keep the current one.'
        : `Your work is not being saved (${(e as Error).message || 'the browser refused the write'}). The last saved version is kept; export the scenario to keep the current one.`;
      return false;
    }
  }

  /** Forgets the saved work. */
  clear(): void {
    try {
      this.storage?.removeItem(this.key);
    } catch {
      // Nothing to do: the storage is unavailable, so nothing is kept either.
    }
  }
}

/** Reads one autosave record (the text under the key): the work, or why it cannot be opened. */
export function readRecord(text: string): LoadResult {
  const fail = (error: string): LoadResult => ({ ok: false, empty: false, error });
  let rec: unknown;
  try {
    rec = JSON.parse(text);
  } catch {
    return fail('Saved work is damaged (not JSON); it was kept aside.');
  }
  if (typeof rec !== 'object' || rec === null || (rec as { kind?: unknown }).kind !== RECORD_KIND) return fail('Saved work is not a Slicebench autosave; it was kept aside.');
  const r = parseScenario((rec as { scenario?: unknown }).scenario);
  if (!r.ok) return fail(`Saved work could not be opened: ${r.errors[0]}. It was kept aside.`);
  const view = (rec as { view?: unknown }).view;
  return { ok: true, saved: { scenario: r.scenario, view: typeof view === 'object' && view !== null && !Array.isArray(view) ? (view as ViewState) : {} } };
}

/** An in-memory StorageLike (tests, and the app when localStorage is unavailable). */
export class MemoryStorage implements StorageLike {
  readonly map = new Map<string, string>();
  /** When set, setItem throws this (simulates a full quota). */
  failWrites: Error | null = null;

  /** Returns the stored string or null. */
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }

  /** Stores a string (throws `failWrites` when set). */
  setItem(key: string, value: string): void {
    if (this.failWrites) throw this.failWrites;
    this.map.set(key, String(value));
  }

  /** Removes a key. */
  removeItem(key: string): void {
    this.map.delete(key);
  }
}
