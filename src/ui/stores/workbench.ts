/**
 * The workbench store: the runs the worker plays, playback, what is selected, and the commands that change the
 * scenario. The scenario itself has one owner, the Workspace (workspace.ts: history, autosave, view); this store
 * mirrors it read-only (`scenario`) for the components and sends every change to the worker. A file, link or
 * preset is validated before it replaces anything; an edit is validated by the worker, and a refused one shows
 * its messages while the runs of the last good scenario stay loaded.
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
import { STEP, type Capture, type Workspace } from './workspace.ts';
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
  /** The workspace's scenario, mirrored read-only for the components (may be invalid while errors are shown). */
  scenario: Scenario;
  /**
   * An edit command: `fn` changes a copy of the scenario; `capture` says how it enters the undo history (a drag
   * is one step). The runs reload 250 ms after the last edit.
   */
  edit(fn: (s: Scenario) => void, capture?: Capture): void;
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
  errors: Accessor<{ title: string; items: string[] } | null>;
  dismissErrors(): void;
  /** Shows a message (e.g. an unreadable file) without touching the scenario. */
  showError(title: string, items: string[]): void;
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
  const [errors, setErrors] = createSignal<{ title: string; items: string[] } | null>(null);
  const [layout, setLayout] = createSignal<ClusterLayout | null>(null);
  const [frame, setFrame] = createSignal<Frame | null>(null);
  const [series, setSeries] = createSignal<MetricSample[][]>([]);
  const [notices, setNotices] = createSignal<Notice[]>([]);
  const [playing, setPlaying] = createSignal(false);
  const [speed, setSpeed] = createSignal<number>(1000);
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
  let mirrored = ws.scenario;
  ws.subscribe(() => {
    batch(() => {
      // Positional reconcile keeps the store's objects, so the editors keep their DOM (and focus) across edits.
      if (ws.scenario !== mirrored) setScenario(reconcile(structuredClone(ws.scenario)));
      mirrored = ws.scenario;
      setCanUndo(ws.canUndo);
      setCanRedo(ws.canRedo);
    });
  });

  void api.profiles().then(setProfiles);
  // Sent before the first load (the worker runs its calls in order), so the first runs use the chosen engine.
  void api.setEngine(engineChoice()).then((r) => setEngine(r.status));

  function apply(f: Frame): void {
    batch(() => {
      if (f.replayed) setNotices([]);
      const cur = series();
      const next = f.runs.map((r, i) => {
        const base = f.replayed ? [] : (cur[i] ?? []);
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
      setSeries(next);
      setFrame(f);
      if (f.runs.every((r) => r.finished)) setPlaying(false);
    });
    for (const cb of listeners) cb(f);
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

  /** Shows why something was refused: a title and at most 12 messages. */
  function refuse(title: string, items: string[]): void {
    setErrors({ title, items: items.slice(0, 12).concat(items.length > 12 ? [`… and ${items.length - 12} more`] : []) });
  }

  /** Sends the workspace's scenario to the worker. The workspace is never changed here. */
  async function load(source: string): Promise<boolean> {
    clearTimeout(editTimer);
    const s = ws.scenario;
    sent = s;
    const r: LoadResult = await call<LoadResult>(api.load(s) as Promise<LoadResult>);
    if (!r.ok) {
      refuse(`${source}: not loaded — the current scenario is kept.`, r.errors);
      return false;
    }
    batch(() => {
      names = r.layout.runs.map(() => new Map());
      setErrors(null);
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
      });
    }, 250);
  }

  function edit(fn: (s: Scenario) => void, capture: Capture = STEP): void {
    const next = structuredClone(ws.scenario);
    fn(next);
    ws.edit(next, capture);
    loadSoon('Edit');
  }

  /**
   * Runs an open (link, file, preset, trace): `change` updates the workspace and returns an error to show, or
   * null; then the runs load. A scenario the worker refuses is taken back, so the work before it stays.
   */
  async function opened(source: string, change: () => { title: string; items: string[] } | null): Promise<boolean> {
    const bad = change();
    if (bad) {
      refuse(bad.title, bad.items);
      return false;
    }
    setPlaying(false);
    const ok = await load(source);
    if (!ok) ws.retract();
    return ok;
  }

  async function importText(text: string, fileName: string): Promise<boolean> {
    return opened(`Import of ${fileName}`, () => {
      const r = ws.importJson(text, fileName);
      return r.ok ? null : { title: `Import of ${fileName}: not loaded — the current scenario is kept.`, items: r.details.length ? [r.error, ...r.details.slice(1)] : [r.error] };
    });
  }

  async function openLink(hash: string): Promise<boolean> {
    const ok = await opened('Shared link', () => {
      const r = ws.openLink(hash);
      return r.ok ? null : { title: 'This link could not be opened — your current work is kept.', items: [r.error, ...r.details.slice(0, 8)] };
    });
    if (ok && ws.view.timeS !== undefined) await seek(ws.view.timeS);
    return ok;
  }

  async function undoOrRedo(which: 'undo' | 'redo'): Promise<void> {
    if (!(which === 'undo' ? ws.undo() : ws.redo())) return;
    setPlaying(false);
    await load(which === 'undo' ? 'Undo' : 'Redo');
  }

  // Playback: wall time → simulated time at the chosen speed; one request in flight at a time.
  let lastWall = 0;
  function tick(now: number): void {
    const dt = lastWall ? Math.min(now - lastWall, 250) / 1000 : 0;
    lastWall = now;
    const f = frame();
    if (playing() && f && !inflight && dt > 0) {
      void call(api.advanceTo(f.tS + dt * speed())).then(apply);
    }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);

  async function step(): Promise<void> {
    setPlaying(false);
    if (inflight) await inflight;
    apply(await call(api.stepEvent()));
  }
  const longRun = createLongRuns(api, () => scaleWarning(scenario));
  async function seek(tS: number): Promise<void> {
    if (inflight) await inflight;
    const f = await call(longRun.run(tS));
    if (f) apply(f);
    refreshEngine();
  }
  async function runToEnd(): Promise<void> {
    setPlaying(false);
    const L = layout();
    if (!L) return;
    if (inflight) await inflight;
    const f = await call(longRun.run(L.durationS));
    if (f) apply(f);
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
    edit,
    canUndo,
    canRedo,
    undo: () => undoOrRedo('undo'),
    redo: () => undoOrRedo('redo'),
    openLink,
    openPreset: (id, s, view = {}, base = s) => opened(`Preset ${id}`, () => (ws.openPreset(id, s, view, base), null)),
    open: (s, source) => opened(source, () => (ws.open(s), null)),
    resetToPreset: async () => (ws.presetId === null ? false : opened('Reset to preset', () => (ws.resetToPreset(), null))),
    reload: (source) => load(source),
    errors,
    dismissErrors: () => setErrors(null),
    showError: (title, items) => setErrors({ title, items }),
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
      if (f && f.runs.every((r) => r.finished)) return;
      setPlaying(true);
    },
    pause: () => setPlaying(false),
    toggle: () => {
      if (playing()) setPlaying(false);
      else {
        const f = frame();
        if (!f || !f.runs.every((r) => r.finished)) setPlaying(true);
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

