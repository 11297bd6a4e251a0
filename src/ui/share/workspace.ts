/**
 * The working scenario as the share features see it: the current scenario and view state, undo/redo
 * (history.ts), autosave (autosave.ts), opening links, importing and exporting files, and "reset to preset".
 * Plain TypeScript with a subscribe() hook, so the Solid UI wraps it in a signal and Node tests drive it directly.
 *
 * Rule: an operation that fails (a broken link, an invalid file) changes nothing: not the scenario, not the
 * history, not the saved work.
 */
import type { Scenario } from '../../scenario/types.ts';
import { decodeShareHash, encodeShareHash, type ViewState } from '../../scenario/urlCodec.ts';
import { Autosave, type StorageLike } from './autosave.ts';
import { UndoHistory, type RecordOptions } from './history.ts';
import { importScenarioText, scenarioFileName, scenarioToJson } from './scenarioFile.ts';

/** Where the current scenario came from. */
export type Origin = 'initial' | 'autosave' | 'link' | 'file' | 'preset' | 'edit';

/** The outcome of opening something: a message for the user on failure. */
export type OpenResult = { ok: true; warnings: string[] } | { ok: false; error: string; details: string[] };

export interface WorkspaceOptions {
  /** The scenario to start from when nothing is saved. */
  initial: Scenario;
  /** Web Storage for autosave (null: no autosave). */
  storage: StorageLike | null;
  storageKey?: string;
  /** Undo steps kept (default 200). */
  historyLimit?: number;
}

/** Current scenario + view, with history, autosave and the share operations. */
export class Workspace {
  private readonly history: UndoHistory<Scenario>;
  private viewState: ViewState = {};
  private readonly autosave: Autosave;
  private listeners = new Set<() => void>();
  /** The preset the work started from (for reset), if any. */
  private presetBase: { id: string; scenario: Scenario } | null = null;
  origin: Origin = 'initial';
  /** A message about the saved work that could not be restored at startup, or null. */
  readonly restoreError: string | null;

  constructor(options: WorkspaceOptions) {
    this.autosave = new Autosave(options.storage, options.storageKey);
    const saved = this.autosave.load();
    let start = options.initial;
    if (saved.ok) {
      start = saved.saved.scenario;
      this.viewState = { ...saved.saved.view };
      this.origin = 'autosave';
      this.restoreError = null;
    } else this.restoreError = saved.empty ? null : saved.error;
    this.history = new UndoHistory<Scenario>(start, options.historyLimit ?? 200);
  }

  /** The current scenario (an immutable snapshot: edit by passing a new object to record/preview). */
  get scenario(): Scenario {
    return this.history.value;
  }

  /** The current view state (time cursor, panel, selected profiles, preset, story step). */
  get view(): ViewState {
    return this.viewState;
  }

  /** Id of the preset the work started from, or null. */
  get presetId(): string | null {
    return this.presetBase?.id ?? null;
  }

  /** Undo and redo availability. */
  get canUndo(): boolean {
    return this.history.undoDepth > 0 || this.history.inGesture;
  }

  /** True when redo() would do something. */
  get canRedo(): boolean {
    return this.history.redoDepth > 0;
  }

  /** The last autosave failure (quota...), or null. */
  get saveError(): string | null {
    return this.autosave.lastError;
  }

  /** Calls `fn` after every change; returns the unsubscribe function. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** A discrete edit: one undo step (or part of one, with `coalesce`). Saved at once. */
  record(next: Scenario, options?: RecordOptions): void {
    if (this.history.record(next, options)) this.changed('edit');
  }

  /** Starts a gesture (drag, slider): previews until commit() are one undo step and are saved on commit. */
  begin(): void {
    this.history.begin();
  }

  /** Shows an intermediate value of the gesture (not saved, not an undo step). */
  preview(next: Scenario): void {
    this.history.preview(next);
    this.emit();
  }

  /** Ends the gesture as one undo step and saves. */
  commit(): void {
    if (this.history.commit()) this.changed('edit');
    else this.emit();
  }

  /** Abandons the gesture. */
  cancel(): void {
    this.history.cancel();
    this.emit();
  }

  /** Steps back. */
  undo(): boolean {
    const done = this.history.undo();
    if (done) this.changed('edit');
    return done;
  }

  /** Steps forward. */
  redo(): boolean {
    const done = this.history.redo();
    if (done) this.changed('edit');
    return done;
  }

  /** Updates the view state (not an undo step; saved). */
  setView(patch: Partial<ViewState>): void {
    const next: ViewState = { ...this.viewState, ...patch };
    for (const k of Object.keys(next) as (keyof ViewState)[]) if (next[k] === undefined) delete next[k];
    this.viewState = next;
    this.save();
    this.emit();
  }

  /** The share link hash for the current scenario and view. */
  shareHash(): string {
    return encodeShareHash(this.scenario, this.viewState);
  }

  /** Opens a share link. On success it is one undo step (undo goes back to the previous work); on failure nothing changes. */
  openLink(hash: string): OpenResult {
    const d = decodeShareHash(hash);
    if (!d.ok) return { ok: false, error: d.error, details: d.details };
    this.replace(d.state.scenario, d.state.view, 'link');
    return { ok: true, warnings: d.warnings };
  }

  /** Imports scenario JSON text (a file). On failure nothing changes and the message names the field. */
  importJson(text: string, fileName?: string): OpenResult {
    const r = importScenarioText(text, fileName);
    if (!r.ok) return { ok: false, error: r.error, details: r.details };
    this.replace(r.scenario, {}, 'file');
    return { ok: true, warnings: [] };
  }

  /** The file to save for "Export JSON". */
  exportJson(): { fileName: string; text: string } {
    return { fileName: scenarioFileName(this.scenario), text: scenarioToJson(this.scenario) };
  }

  /** Opens a preset (one undo step) and remembers it for reset. */
  openPreset(id: string, scenario: Scenario, view: ViewState = {}): void {
    this.presetBase = { id, scenario };
    this.replace(scenario, { ...view, preset: id }, 'preset');
  }

  /** Remembers the preset the current work belongs to without changing the work (a link that names its preset). */
  setPresetBase(id: string, scenario: Scenario): void {
    this.presetBase = { id, scenario };
  }

  /** Puts the preset's scenario back (one undo step). False when the work did not come from a preset. */
  resetToPreset(): boolean {
    if (!this.presetBase) return false;
    this.replace(this.presetBase.scenario, { preset: this.presetBase.id }, 'preset');
    return true;
  }

  private replace(scenario: Scenario, view: ViewState, origin: Origin): void {
    this.history.record(scenario);
    this.viewState = { ...view };
    this.changed(origin);
  }

  private changed(origin: Origin): void {
    this.origin = origin;
    this.save();
    this.emit();
  }

  private save(): void {
    if (this.history.inGesture) return;
    this.autosave.save({ scenario: this.scenario, view: this.viewState });
  }

  private emit(): void {
    for (const fn of [...this.listeners]) fn();
  }
}
