/**
 * The one owner of the working scenario: the current scenario and view state, undo/redo (share/history.ts),
 * autosave (share/autosave.ts), edits as commands with a capture policy, opening links, presets and files,
 * exporting, and "reset to preset". Plain TypeScript with a subscribe() hook: the workbench store
 * (workbench.ts) mirrors it into a Solid store and sends it to the worker; Node tests drive it directly.
 *
 * Rule: an operation that fails (a broken link, an invalid file, an edit the validator refuses) changes nothing:
 * not the scenario, not the history, not the saved work. Only a valid scenario is ever saved. When another tab
 * saves over the work (a `storage` event), saving pauses until the user chooses whose work to keep.
 */
import type { Scenario } from '../../scenario/types.ts';
import { decodeShareHash, encodeShareHash, type ViewState } from '../../scenario/urlCodec.ts';
import { parseScenario } from '../../scenario/validate.ts';
import { Autosave, readRecord, type SavedWork, type StorageLike } from '../share/autosave.ts';
import { checkEdit } from './editCheck.ts';
import { UndoHistory, type RecordOptions } from '../share/history.ts';
import { importScenarioText, scenarioFileName, scenarioToJson } from '../share/scenarioFile.ts';

/** Where the current scenario came from. */
export type Origin = 'initial' | 'autosave' | 'link' | 'file' | 'preset' | 'edit';

/** The outcome of opening something: a message for the user on failure. */
export type OpenResult = { ok: true; warnings: string[] } | { ok: false; error: string; details: string[] };

/**
 * How an edit command enters the undo history:
 * - `step`: one undo step (a button, a menu choice, a typed value);
 * - `coalesce`: edits in a row with the same key are one step (arrow keys or the wheel on one dial);
 * - `gesture`: a preview of the open gesture (a drag); the edit with `end: true` closes it as one step.
 */
export type Capture = { kind: 'step' } | { kind: 'coalesce'; key: string } | { kind: 'gesture'; end?: boolean };

/** Why an edit was refused: messages in the editors' words (editCheck.ts); null when it was applied. */
export type EditRefusal = string[] | null;

/** Another tab saved its work over this tab's: what it saved (null: nothing readable, or it cleared it). */
export interface SaveConflict {
  theirs: SavedWork | null;
}

/** The default capture: one undo step. */
export const STEP: Capture = { kind: 'step' };

/** A placeholder until the first scenario is opened (never saved, never an undo step). */
const NOTHING: Scenario = {
  kind: 'slicebench/scenario',
  version: 1,
  name: 'empty',
  cluster: { pools: [] },
  workloads: [],
  schedulers: [{ profile: 'k8s-default' }],
  sim: { durationS: 3600, seed: 42, metricsStepS: 300 },
};

export interface WorkspaceOptions {
  /** The scenario to start from when nothing is saved (absent: none until the first open). */
  initial?: Scenario;
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
  /** What a non-preset open (blank, file, import) replaced: the preset link and view that `retract` puts back. */
  private beforeOpen: { presetBase: { id: string; scenario: Scenario } | null; view: ViewState } | null = null;
  origin: Origin = 'initial';
  /** A message about the saved work that could not be restored at startup, or null. */
  readonly restoreError: string | null;
  /** False until there is work: the first open replaces the placeholder instead of adding an undo step. */
  private hasWork: boolean;
  /** Set while another tab's save is unanswered: this tab saves nothing until the user chooses. */
  private conflictState: SaveConflict | null = null;

  constructor(options: WorkspaceOptions) {
    this.autosave = new Autosave(options.storage, options.storageKey);
    const saved = this.autosave.load();
    let start = options.initial ?? NOTHING;
    this.hasWork = options.initial !== undefined || saved.ok;
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

  /** True once a scenario was given, restored or opened (false: the placeholder of an empty start). */
  get hasScenario(): boolean {
    return this.hasWork;
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

  /** Another tab's save that this tab has not answered yet (saving is paused meanwhile), or null. */
  get conflict(): SaveConflict | null {
    return this.conflictState;
  }

  /**
   * The saved work's key changed in another tab (a `storage` event's newValue). Anything this tab did not write
   * itself pauses saving and is remembered until keepMine() or takeTheirs().
   */
  storageChanged(newValue: string | null): void {
    if (!this.autosave.isForeign(newValue)) return;
    const r = newValue === null ? null : readRecord(newValue);
    this.conflictState = { theirs: r?.ok ? r.saved : null };
    this.emit();
  }

  /** Answers a conflict by keeping this tab's work: it is saved over the other tab's. */
  keepMine(): void {
    if (!this.conflictState) return;
    this.conflictState = null;
    this.save(true);
    this.emit();
  }

  /** Answers a conflict by opening the other tab's work (one undo step: this tab's work is still an undo away). */
  takeTheirs(): boolean {
    const c = this.conflictState;
    if (!c) return false;
    this.conflictState = null;
    if (!c.theirs) {
      this.save(true);
      this.emit();
      return false;
    }
    this.replace(c.theirs.scenario, c.theirs.view, 'autosave');
    return true;
  }

  /** Calls `fn` after every change; returns the unsubscribe function. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Applies one edit command under its capture policy (see Capture), if the edited scenario is valid. A refused
   * edit changes nothing (scenario, history, saved work) and returns its messages in the editors' words.
   */
  edit(next: Scenario, capture: Capture = STEP): EditRefusal {
    const check = checkEdit(next);
    if (!check.ok) {
      // A drag that wandered into a refused value ends at its last valid one.
      if (capture.kind === 'gesture' && capture.end) this.commit();
      return check.errors;
    }
    if (capture.kind === 'gesture') {
      this.preview(next);
      if (capture.end) this.commit();
    } else this.record(next, capture.kind === 'coalesce' ? { coalesce: capture.key } : undefined);
    return null;
  }

  /** A discrete edit: one undo step (or part of one, with `coalesce`). Saved at once. Not validated (edit() is). */
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
    this.replaceOwn(r.scenario, {}, 'file');
    return { ok: true, warnings: [] };
  }

  /** The file to save for "Export JSON". */
  exportJson(): { fileName: string; text: string } {
    return { fileName: scenarioFileName(this.scenario), text: scenarioToJson(this.scenario) };
  }

  /**
   * Opens a preset (one undo step) and remembers it for reset: `scenario` is what opens (the preset as shipped,
   * a variant or a story step), `base` the preset as shipped.
   */
  openPreset(id: string, scenario: Scenario, view: ViewState = {}, base: Scenario = scenario): void {
    this.beforeOpen = null;
    this.presetBase = { id, scenario: base };
    this.replace(scenario, { ...view, preset: id }, 'preset');
  }

  /** Opens a scenario made elsewhere (a trace import, a story step) as one undo step, keeping the view. */
  open(scenario: Scenario, origin: Origin = 'file'): void {
    const { preset: _preset, ...view } = this.viewState;
    this.replaceOwn(scenario, view, origin);
  }

  /**
   * Opens work that is no preset's (a blank scenario, a file, an import): it no longer belongs to the preset the
   * previous work came from, so "Reset to preset" and the share link's preset name go; `retract` restores them.
   */
  private replaceOwn(scenario: Scenario, view: ViewState, origin: Origin): void {
    this.beforeOpen = { presetBase: this.presetBase, view: this.viewState };
    this.presetBase = null;
    this.replace(scenario, view, origin);
  }

  /**
   * Takes back the last open (link, file, preset) when the simulator refused it: the work before it returns and
   * the refused scenario is not kept for redo.
   */
  retract(): void {
    if (!this.history.drop()) return;
    if (this.beforeOpen) {
      this.presetBase = this.beforeOpen.presetBase;
      this.viewState = { ...this.beforeOpen.view };
      this.beforeOpen = null;
    }
    this.changed('edit');
  }

  /**
   * Goes back to `good` (the scenario the runs last loaded) when the simulator refused the current one: steps are
   * taken back until it is current (none kept for redo); failing that, it replaces the current value.
   */
  retractTo(good: Scenario): void {
    if (this.history.value === good) return;
    const depth = this.history.undoDepth;
    for (let i = 0; i < depth && this.history.value !== good; i++) this.history.drop();
    if (this.history.value !== good) this.history.record(good);
    this.changed('edit');
  }

  /** Remembers the preset the current work belongs to without changing the work (a link that names its preset). */
  setPresetBase(id: string, scenario: Scenario): void {
    if (this.presetBase?.id === id && this.presetBase.scenario === scenario) return;
    this.presetBase = { id, scenario };
    this.emit();
  }

  /** Puts the preset's scenario back (one undo step). False when the work did not come from a preset. */
  resetToPreset(): boolean {
    if (!this.presetBase) return false;
    this.replace(this.presetBase.scenario, { preset: this.presetBase.id }, 'preset');
    return true;
  }

  private replace(scenario: Scenario, view: ViewState, origin: Origin): void {
    if (this.hasWork) this.history.record(scenario);
    else this.history.reset(scenario);
    this.hasWork = true;
    this.viewState = { ...view };
    this.changed(origin);
  }

  private changed(origin: Origin): void {
    this.origin = origin;
    this.save();
    this.emit();
  }

  /** Saves the work: never during a gesture, never while another tab's save is unanswered, never an invalid scenario. */
  private save(force = false): void {
    if (this.history.inGesture || !this.hasWork || this.conflictState) return;
    if (!parseScenario(this.scenario).ok) return;
    this.autosave.save({ scenario: this.scenario, view: this.viewState }, force);
  }

  private emit(): void {
    for (const fn of [...this.listeners]) fn();
  }
}
