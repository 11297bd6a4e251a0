/**
 * The workbench store: the runs the worker plays, playback, what is selected, and the commands that change the
 * scenario. The scenario itself has one owner, the Workspace (workspace.ts: history, autosave, view); this store
 * mirrors it read-only (`scenario`) for the components and sends every change to the worker. A file, link or
 * preset is validated before it replaces anything; an edit is validated before it is applied (workspace.ts), so
 * a refused value never stays in the form while the old runs play; one the simulator still refuses is taken back
 * to the scenario the runs show. A worker call that fails stops playback where it was and says so: the numbers
 * on screen are never passed off as a finished run.
 * Simulated time is mapped from wall time here (the worker and the simulator never read a clock).
 */
import { batch, createSignal, type Accessor } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import type * as Comlink from 'comlink';
import type { MetricSample } from '../../worker/protocol.ts';
import type { Scenario } from '../../scenario/types.ts';
import type { ClusterLayout, Frame, GpuHistory, LoadResult, ProfileInfo, WhyHere, WorkbenchApi } from '../../worker/protocol.ts';
import type { EngineChoice } from '../../worker/engineInfo.ts';
import type { ViewState } from '../../scenario/urlCodec.ts';
import { jsonEqual } from '../share/history.ts';
import { createLongRuns, type LongRuns } from './longRun.ts';
import { scaleWarning } from '../../scenario/scaleLimits.ts';
import { STEP, type Capture, type EditRefusal, type SaveConflict, type Workspace } from './workspace.ts';
import { formatSimTime } from '../lib/format.ts';
import { PlayAhead } from '../lib/playAhead.ts';
import { onWorkerFailure } from './workerClient.ts';
import type { EngineStatus } from '../../worker/protocol.ts';
import { CHECKING_ENGINE } from '../lib/engineLine.ts';

/** Playback speeds offered, in simulated seconds per wall second. */
export const SPEEDS = [1, 10, 100, 1000, 10000] as const;

export type Selection = { type: 'pod'; run: number; pod: string } | { type: 'gpu'; run: number; node: number; gpu: number } | null;

/** A notable event shown under the cluster views (OOM kills, evictions). */
export interface Notice {
  id: number;
  run: number;
  tS: number;
  text: string;
  kind: 'oom' | 'evict';
}

/** A message in the error banner: a title, its items, and optionally choices and a dismiss hook. */
export interface Problem {
  title: string;
  items: string[];
  /** A question the actions answer (shown until one is chosen). */
  question?: string;
  /** Buttons offered with the message (e.g. "Open my saved work"); each runs once, then the message stays. */
  actions?: { label: string; run: () => void | Promise<unknown> }[];
  /** Kept when the runs load again (a broken link's message stays until dismissed). */
  sticky?: boolean;
}

/**
 * What an open left out although it opened (a link's malformed view field, dropped): a polite notice that names
 * each field, shown until dismissed or the next open.
 */
export interface OpenNotice {
  title: string;
  items: string[];
}

/** A worker call that failed: the runs stopped at `atS` and are not a finished run. */
export interface RunFailure {
  atS: number;
  message: string;
}

export interface Workbench {
  api: Comlink.Remote<WorkbenchApi>;
  profiles: Accessor<ProfileInfo[]>;
  /** Which engine runs the simulation and why (a status value from the worker; src/ui/lib/engineLine.ts words it). */
  engine: Accessor<EngineStatus>;
  /** The engine the user chose: auto, cpu, or gpu (forced, a software adapter accepted). */
  engineChoice: Accessor<EngineChoice>;
  /** True while the runs are being moved onto a newly chosen engine. */
  engineSwitching: Accessor<boolean>;
  /**
   * Chooses the engine: the worker re-selects it and replays the runs on it to the current time (same traceHash,
   * same charts); playback resumes if it was playing. Cancelling the replay keeps the previous engine.
   */
  setEngineChoice(choice: EngineChoice): Promise<void>;
  /** The owner of the scenario: history, autosave, view state, share hash, preset base. */
  ws: Workspace;
  /** The workspace's scenario, mirrored read-only for the components (always a valid scenario). */
  scenario: Scenario;
  /**
   * An edit command: `fn` changes a copy of the scenario; `capture` says how it enters the undo history (a drag
   * is one step). The runs reload 250 ms after the last edit. A refused edit changes nothing and shows its messages.
   */
  edit(fn: (s: Scenario) => void, capture?: Capture): void;
  /** edit() that also returns the refusal's messages (the field that made the edit shows the first), or null. */
  tryEdit(fn: (s: Scenario) => void, capture?: Capture): EditRefusal;
  canUndo: Accessor<boolean>;
  canRedo: Accessor<boolean>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  /** Opens a share link hash; a broken one shows why and changes nothing. */
  openLink(hash: string): Promise<boolean>;
  /** Opens a preset (`scenario`: as shipped, a variant or a story step; `base`: as shipped, for reset). */
  openPreset(id: string, scenario: Scenario, view?: ViewState, base?: Scenario): Promise<boolean>;
  /** Opens a scenario made in the app (a trace import, a story step) as one undo step. */
  open(scenario: Scenario, source: string): Promise<boolean>;
  /** Puts the preset the work came from back (one undo step). */
  resetToPreset(): Promise<boolean>;
  /** Sends the workspace's scenario to the worker now (the saved work at startup). */
  reload(source: string): Promise<boolean>;
  errors: Accessor<Problem | null>;
  dismissErrors(): void;
  /** What the last open ignored (e.g. a link's malformed view fields, each named), or null. */
  openNotice: Accessor<OpenNotice | null>;
  dismissOpenNotice(): void;
  /** Shows a message (e.g. an unreadable file) without touching the scenario. */
  showError(title: string, items: string[], options?: Pick<Problem, 'question' | 'actions' | 'sticky'>): void;
  /** Why the work is not being saved (a full storage), or null. */
  saveError: Accessor<string | null>;
  /** Another tab saved its work over this tab's; saving is paused until keepMine() or takeTheirs(). */
  conflict: Accessor<SaveConflict | null>;
  /** Keeps this tab's work (saved over the other tab's). */
  keepMine(): void;
  /** Opens the other tab's work (this tab's stays an undo away). */
  takeTheirs(): Promise<boolean>;
  /** The worker call that stopped the runs with an error (cleared by the next load), or null. */
  failure: Accessor<RunFailure | null>;
  layout: Accessor<ClusterLayout | null>;
  frame: Accessor<Frame | null>;
  series: Accessor<MetricSample[][]>;
  /** uid → pod name, per run. */
  nameOf(run: number, uid: number): string;
  notices: Accessor<Notice[]>;
  playing: Accessor<boolean>;
  speed: Accessor<number>;
  setSpeed(v: number): void;
  play(): void;
  pause(): void;
  toggle(): void;
  step(): Promise<void>;
  seek(tS: number): Promise<void>;
  runToEnd(): Promise<void>;
  /** Imports a scenario file's text (share/scenarioFile.ts importScenarioText): errors name the field; nothing is lost. */
  importText(text: string, fileName: string): Promise<boolean>;
  selection: Accessor<Selection>;
  select(s: Selection): void;
  why: Accessor<WhyHere | null>;
  history: Accessor<GpuHistory | null>;
  /** Bumped whenever a new layout is loaded (views reset their zoom). */
  loads: Accessor<number>;
  /** Frames applied, for views that animate events. */
  onFrame(cb: (f: Frame) => void): () => void;
  /** Seeks and runs to the end go in slices: progress (shown after 300 ms) and cancel. */
  longRun: LongRuns;
}

/** How the store starts its engine: the initial choice (engineChoice.ts) and where a user's choice is remembered. */
export interface WorkbenchOptions {
  engineChoice?: EngineChoice;
  rememberEngineChoice?: (choice: EngineChoice) => void;
}

/** Creates the store around a worker and the workspace that owns the scenario. Call inside a Solid root. */
export function createWorkbench(api: Comlink.Remote<WorkbenchApi>, ws: Workspace, options: WorkbenchOptions = {}): Workbench {
  const [profiles, setProfiles] = createSignal<ProfileInfo[]>([]);
  const [engine, setEngine] = createSignal<EngineStatus>(CHECKING_ENGINE);
  const [engineChoice, setEngineChoiceSignal] = createSignal<EngineChoice>(options.engineChoice ?? 'auto');
  const [engineSwitching, setEngineSwitching] = createSignal(false);
  const [scenario, setScenario] = createStore<Scenario>(structuredClone(ws.scenario));
  const [canUndo, setCanUndo] = createSignal(ws.canUndo);
  const [canRedo, setCanRedo] = createSignal(ws.canRedo);
  const [errors, setErrors] = createSignal<Problem | null>(null);
  const [openNotice, setOpenNotice] = createSignal<OpenNotice | null>(null);
  const [saveError, setSaveError] = createSignal<string | null>(ws.saveError);
  const [conflict, setConflict] = createSignal<SaveConflict | null>(ws.conflict);
  const [failure, setFailure] = createSignal<RunFailure | null>(null);
  const [layout, setLayout] = createSignal<ClusterLayout | null>(null);
  const [frame, setFrame] = createSignal<Frame | null>(null);
  const [series, setSeries] = createSignal<MetricSample[][]>([]);
  const [notices, setNotices] = createSignal<Notice[]>([]);
  const [playing, setPlaying] = createSignal(false);
  const [speed, setSpeedSignal] = createSignal<number>(1000);
  /** Sets the playback speed and keeps it in the view state (share links and the saved work carry it). */
  const setSpeed = (v: number): void => {
    setSpeedSignal(v);
    if (ws.view.speed !== v) ws.setView({ speed: v });
  };
  const [selection, setSelection] = createSignal<Selection>(null);
  const [why, setWhy] = createSignal<WhyHere | null>(null);
  const [history, setHistory] = createSignal<GpuHistory | null>(null);
  const [loads, setLoads] = createSignal(0);
  let names: Map<number, string>[] = [];
  let noticeId = 0;
  const listeners = new Set<(f: Frame) => void>();
  let inflight: Promise<unknown> | null = null;
  let editTimer: ReturnType<typeof setTimeout> | undefined;
  /** The scenario last sent to the worker (an edit that ends where it started reloads nothing). */
  let sent: Scenario | null = null;
  /** The scenario the runs on screen belong to (the last load the worker accepted). */
  let loaded: Scenario | null = null;
  let mirrored = ws.scenario;
  ws.subscribe(() => {
    batch(() => {
      // Positional reconcile keeps the store's objects, so the editors keep their DOM (and focus) across edits.
      if (ws.scenario !== mirrored) setScenario(reconcile(structuredClone(ws.scenario)));
      mirrored = ws.scenario;
      setCanUndo(ws.canUndo);
      setCanRedo(ws.canRedo);
      setSaveError(ws.saveError);
      setConflict(ws.conflict);
    });
  });

  // A failure that answers no call (the worker's script, an escaped error) stops the runs the same way.
  onWorkerFailure((message) => fail(new Error(message)));
  void api.profiles().then(setProfiles);
  // Sent before the first load (the worker runs its calls in order), so the first runs use the chosen engine.
  void api.setEngine(engineChoice()).then((r) => setEngine(r.status));

  /** Shows one frame (one Solid batch); `refresh: false` leaves the selection's query to the caller. */
  function apply(f: Frame, refresh = true): void {
    batch(() => {
      if (f.replayed) setNotices([]);
      const cur = series();
      // Samples are appended in place (a copy per frame and run made garbage in proportion to the run's length);
      // the outer array is new whenever a run's series changed, so readers of series() see the change.
      let changed = f.replayed || cur.length !== f.runs.length;
      const next = f.runs.map((r, i) => {
        const base = f.replayed ? [] : (cur[i] ?? []);
        if (r.seriesFrom === base.length && !r.samples.length) return base;
        changed = true;
        if (r.seriesFrom === base.length) {
          for (const x of r.samples) base.push(x);
          return base;
        }
        return base.slice(0, r.seriesFrom).concat(r.samples);
      });
      f.runs.forEach((r, i) => {
        const m = names[i] ?? (names[i] = new Map());
        for (const [uid, n] of Object.entries(r.names)) m.set(Number(uid), n);
      });
      const fresh: Notice[] = [];
      f.runs.forEach((r, i) => {
        for (const e of r.changes) {
          if (e.type === 'oom' || e.type === 'evict') {
            fresh.push({ id: ++noticeId, run: i, tS: f.tS, kind: e.type, text: e.type === 'oom' ? `${e.pod} OOM-killed${e.reason ? `: ${e.reason.replace(/^OOMKilled /, '')}` : ''}` : `${e.pod} evicted${e.reason ? ` (${e.reason})` : ''}` });
          }
        }
      });
      if (fresh.length) setNotices((n) => [...fresh.reverse(), ...n].slice(0, 8));
      if (changed) setSeries(next);
      setFrame(f);
      if (f.runs.every((r) => r.finished)) setPlaying(false);
    });
    for (const cb of listeners) cb(f);
    if (refresh) refreshSelection();
  }

  /**
   * Shows the frames one animation frame of playback brought, in order, in one batch: summaries, pending queues
   * and run headers update once per animation frame however many worker answers arrived.
   */
  function applyAll(frames: Frame[]): void {
    if (!frames.length) return;
    batch(() => {
      for (const f of frames) apply(f, false);
    });
    refreshSelection();
  }

  /** Runs one worker call at a time; playback skips a tick while one is in flight. */
  async function call<T>(p: Promise<T> | T): Promise<T> {
    const run = Promise.resolve(p).finally(() => {
      if (inflight === run) inflight = null;
    });
    inflight = run;
    return run;
  }

  /**
   * A playback call (advance, step, seek, run to the end): its frame is applied; a failure stops playback at the
   * time on screen and says so, and no further call runs until the next load (no clock jumping to the end).
   */
  async function playCall(p: () => Promise<Frame | null>): Promise<void> {
    if (failure()) return;
    let f: Frame | null;
    try {
      f = await call(p());
    } catch (e) {
      fail(e);
      return;
    }
    if (f && !failure()) apply(f);
  }

  /** Reports a worker failure: playback stops, the runs stay where they were, the scenario is kept. */
  function fail(e: unknown): void {
    const atS = frame()?.tS ?? 0;
    const message = workerMessage(e);
    batch(() => {
      setPlaying(false);
      setFailure({ atS, message });
      setErrors({
        title: `The simulation stopped with an error at ${formatSimTime(atS)}: the numbers shown stop there and are not a finished run. Your scenario is kept.`,
        items: [message, 'Change the scenario (or undo the last change) to run it again; export it to report the problem.'],
        sticky: true,
      });
    });
  }

  /** Shows why something was refused: a title and at most 12 messages. */
  function refuse(title: string, items: string[]): Problem {
    const p = { title, items: atMost12(items) };
    setErrors(p);
    return p;
  }
  /** Messages of refused edits: cleared by the next applied edit, an open, or Dismiss (not by a load). */
  const editRefusals = new WeakSet<Problem>();

  /** Sends the workspace's scenario to the worker. The workspace is never changed here. */
  async function load(source: string): Promise<boolean> {
    clearTimeout(editTimer);
    const s = ws.scenario;
    sent = s;
    // Frames asked ahead belong to the runs being replaced: the worker answers them first, and they are dropped.
    void drainAhead();
    aheadLoad++;
    let r: LoadResult;
    try {
      r = await call<LoadResult>(api.load(s) as Promise<LoadResult>);
    } catch (e) {
      r = { ok: false, errors: [workerMessage(e)] };
    }
    if (!r.ok) {
      refuse(`${source}: not loaded — ${loaded ? 'the runs still show the last valid scenario' : 'the current scenario is kept'}.`, r.errors);
      return false;
    }
    loaded = s;
    batch(() => {
      names = r.layout.runs.map(() => new Map());
      setFailure(null);
      // A refused edit's message stays (it is about a value the user typed after the edit being loaded).
      const shown = errors();
      if (shown && !shown.sticky && !editRefusals.has(shown)) setErrors(null);
      setLayout(r.layout);
      setSeries(r.layout.runs.map(() => []));
      setNotices([]);
      setSelection(null);
      setWhy(null);
      setHistory(null);
      setLoads((n) => n + 1);
    });
    apply(r.frame);
    return true;
  }

  /** Reloads the runs 250 ms after the last edit (playback resumes if it was on). */
  function loadSoon(source: string): void {
    clearTimeout(editTimer);
    editTimer = setTimeout(() => {
      if (sent && jsonEqual(sent, ws.scenario)) return;
      const wasPlaying = playing();
      void load(source).then((ok) => {
        if (ok && wasPlaying) setPlaying(true);
        // The simulator refused what the validator let through: the form goes back to what the runs show.
        else if (!ok && loaded && ws.scenario === sent) ws.retractTo(loaded);
      });
    }, 250);
  }

  function tryEdit(fn: (s: Scenario) => void, capture: Capture = STEP): EditRefusal {
    const next = structuredClone(ws.scenario);
    fn(next);
    const refused = ws.edit(next, capture);
    if (refused) {
      editRefusals.add(refuse('This change was not applied — the form and the runs still show the last valid scenario.', refused));
      return refused;
    }
    if (errors() && !errors()!.sticky) setErrors(null);
    loadSoon('Edit');
    return null;
  }

  /**
   * Runs an open (link, file, preset, trace): `change` updates the workspace and returns an error to show, or
   * null; then the runs load. A scenario the worker refuses is taken back, so the work before it stays. Once it
   * loaded, `notice` says what it left out (shown politely) or null; the previous open's notice goes either way.
   */
  async function opened(source: string, change: () => { title: string; items: string[] } | null, notice: () => OpenNotice | null = () => null): Promise<boolean> {
    const bad = change();
    if (bad) {
      refuse(bad.title, bad.items);
      return false;
    }
    setPlaying(false);
    const ok = await load(source);
    if (!ok) ws.retract();
    else {
      if (editRefusals.has(errors()!)) setErrors(null);
      setOpenNotice(notice());
    }
    return ok;
  }

  /** The notice for what an open ignored (`warnings`, each naming its field), or null when it ignored nothing. */
  function ignoredNotice(title: string, warnings: readonly string[]): OpenNotice | null {
    return warnings.length ? { title, items: atMost12(warnings) } : null;
  }

  async function importText(text: string, fileName: string): Promise<boolean> {
    let warnings: string[] = [];
    return opened(
      `Import of ${fileName}`,
      () => {
        const r = ws.importJson(text, fileName);
        if (r.ok) warnings = r.warnings;
        return r.ok ? null : { title: `Import of ${fileName}: not loaded — the current scenario is kept.`, items: r.details.length ? [r.error, ...r.details.slice(1)] : [r.error] };
      },
      () => ignoredNotice(`${fileName} opened, but part of it was ignored:`, warnings),
    );
  }

  async function openLink(hash: string): Promise<boolean> {
    let warnings: string[] = [];
    const ok = await opened(
      'Shared link',
      () => {
        const r = ws.openLink(hash);
        if (r.ok) warnings = r.warnings;
        return r.ok ? null : { title: 'This link could not be opened — your current work is kept.', items: [r.error, ...r.details.slice(0, 8)] };
      },
      () => ignoredNotice('The link opened, but part of its view was ignored (the scenario is complete):', warnings),
    );
    if (ok) restoreSpeed();
    if (ok && ws.view.timeS !== undefined) await seek(ws.view.timeS);
    return ok;
  }

  /** The speed the view state names (a link, the saved work), when there is one. */
  function restoreSpeed(): void {
    const v = ws.view.speed;
    if (v !== undefined && Number.isFinite(v) && v > 0) setSpeedSignal(v);
  }

  async function undoOrRedo(which: 'undo' | 'redo'): Promise<void> {
    if (!(which === 'undo' ? ws.undo() : ws.redo())) return;
    setPlaying(false);
    await load(which === 'undo' ? 'Undo' : 'Redo');
  }

  // Playback: wall time → simulated time at the chosen speed. The worker is asked for the next frames before they
  // are due (PlayAhead), so each animation frame shows a frame already answered; a late worker is skipped ahead of
  // (the clock holds the speed); pausing drains what was asked.
  const ahead = new PlayAhead<Frame>({
    advance: (tS) => Promise.resolve(api.advanceTo(tS)),
    timeOf: (f) => f.tS,
    finished: (f) => f.runs.every((r) => r.finished),
  });
  /** Loads counted by the look-ahead: frames asked before a load belong to the old runs and are dropped. */
  let aheadLoad = 0;
  let draining: Promise<void> | null = null;
  /** Stops the look-ahead and shows the frames it asked for (all of them: frames are deltas). */
  function drainAhead(): Promise<void> {
    if (draining) return draining;
    if (!ahead.active && !ahead.busy) return Promise.resolve();
    const gen = aheadLoad;
    const run = ahead.drain().then(
      (frames) => {
        if (gen === aheadLoad && !failure()) applyAll(frames);
      },
      (e: unknown) => {
        if (gen === aheadLoad) fail(e);
      },
    );
    draining = run.finally(() => {
      draining = null;
    });
    return draining;
  }
  /** Waits until no worker call of playback or of a command is unanswered. */
  async function settle(): Promise<void> {
    await drainAhead();
    if (inflight) await inflight.catch(() => undefined);
  }
  let lastWall = 0;
  /**
   * How far (wall seconds at the chosen speed) the clock may run past the furthest time asked of the worker: a
   * worker that falls behind is skipped ahead of, not waited for, up to this lag; beyond it the clock waits.
   */
  const MAX_LAG_WALL_S = 1;
  function tick(now: number): void {
    // A long frame still moves the clock its full time (the speed holds); a tab back from the background (no
    // animation frames meanwhile) moves it at most one second's worth.
    const dt = lastWall ? Math.min(now - lastWall, 1000) / 1000 : 0;
    lastWall = now;
    const f = frame();
    if (playing() && f && !failure() && !draining) {
      if (!ahead.active && !inflight) ahead.start(f.tS);
      if (ahead.active && dt > 0) {
        const r = ahead.tick(dt * speed(), MAX_LAG_WALL_S * speed());
        applyAll(r.frames);
        if (r.error !== undefined) fail(r.error);
      }
    } else if (!playing() && ahead.active) void drainAhead();
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);

  async function step(): Promise<void> {
    setPlaying(false);
    await settle();
    await playCall(() => api.stepEvent());
  }
  const longRun = createLongRuns(api, () => scaleWarning(scenario));
  async function seek(tS: number): Promise<void> {
    await settle();
    await playCall(() => longRun.run(tS));
    refreshEngine();
  }
  async function runToEnd(): Promise<void> {
    setPlaying(false);
    const L = layout();
    if (!L) return;
    await settle();
    await playCall(() => longRun.run(L.durationS));
    refreshEngine();
  }
  /** Re-reads the engine status after a long run (a GPU lost during it is reported: the runs finished on the CPU). */
  function refreshEngine(): void {
    if (!engineSwitching()) void api.engine().then(setEngine);
  }

  async function setEngineChoice(choice: EngineChoice): Promise<void> {
    if (engineSwitching()) return;
    const wasPlaying = playing();
    setPlaying(false);
    setEngineChoiceSignal(choice);
    setEngineSwitching(true);
    try {
      await drainAhead();
      if (inflight) await inflight;
      const r = await call(longRun.switchEngine(choice));
      batch(() => {
        setEngineChoiceSignal(r.choice);
        setEngine(r.status);
      });
      if (r.cancelled) return;
      options.rememberEngineChoice?.(choice);
      if (r.frame) apply(r.frame);
      if (wasPlaying) setPlaying(true);
    } finally {
      setEngineSwitching(false);
    }
  }

  let selSeq = 0;
  function refreshSelection(): void {
    const s = selection();
    if (!s) return;
    // Keep the panel current while playing, but not more than the worker can answer.
    if (s.type === 'gpu' && playing()) return;
    void querySelection(s);
  }
  async function querySelection(s: NonNullable<Selection>): Promise<void> {
    const seq = ++selSeq;
    if (s.type === 'pod') {
      const w = await api.explain(s.run, s.pod);
      if (seq === selSeq) setWhy(w);
    } else {
      const h = await api.gpuHistory(s.run, s.node, s.gpu);
      if (seq === selSeq) setHistory(h);
    }
  }

  return {
    api,
    profiles,
    engine,
    engineChoice,
    engineSwitching,
    setEngineChoice,
    ws,
    scenario,
    edit: (fn, capture) => void tryEdit(fn, capture),
    tryEdit,
    canUndo,
    canRedo,
    undo: () => undoOrRedo('undo'),
    redo: () => undoOrRedo('redo'),
    openLink,
    openPreset: (id, s, view = {}, base = s) => opened(`Preset ${id}`, () => (ws.openPreset(id, s, view, base), null)),
    open: (s, source) => opened(source, () => (ws.open(s), null)),
    resetToPreset: async () => (ws.presetId === null ? false : opened('Reset to preset', () => (ws.resetToPreset(), null))),
    reload: async (source) => {
      const ok = await load(source);
      if (ok) restoreSpeed();
      return ok;
    },
    errors,
    dismissErrors: () => setErrors(null),
    openNotice,
    dismissOpenNotice: () => setOpenNotice(null),
    showError: (title, items, options = {}) => setErrors({ title, items, ...options }),
    saveError,
    conflict,
    keepMine: () => ws.keepMine(),
    takeTheirs: () => opened('Work from the other tab', () => (ws.takeTheirs() ? null : { title: 'The other tab\'s work could not be read — this tab\'s work is kept and saved.', items: [] })),
    failure,
    layout,
    frame,
    series,
    nameOf: (run, uid) => names[run]?.get(uid) ?? `pod #${uid}`,
    notices,
    playing,
    speed,
    setSpeed,
    play: () => {
      const f = frame();
      if (failure() || (f && f.runs.every((r) => r.finished))) return;
      setPlaying(true);
    },
    pause: () => setPlaying(false),
    toggle: () => {
      if (playing()) setPlaying(false);
      else {
        const f = frame();
        if (!failure() && (!f || !f.runs.every((r) => r.finished))) setPlaying(true);
      }
    },
    step,
    seek,
    runToEnd,
    importText,
    selection,
    select: (s) => {
      setSelection(s);
      if (!s || s.type === 'gpu') setWhy(null);
      if (!s || s.type === 'pod') setHistory(null);
      if (s) void querySelection(s);
    },
    why,
    history,
    loads,
    onFrame: (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    longRun,
  };
}


/** At most 12 messages, the rest counted ("… and 3 more"): a banner stays readable. */
function atMost12(items: readonly string[]): string[] {
  return items.slice(0, 12).concat(items.length > 12 ? [`… and ${items.length - 12} more`] : []);
}

/** A worker failure's message for the user (a comlink rejection carries the worker's Error). */
export function workerMessage(e: unknown): string {
  const m = e instanceof Error ? `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}` : String(e);
  return m.length > 400 ? `${m.slice(0, 400)}…` : m;
}
