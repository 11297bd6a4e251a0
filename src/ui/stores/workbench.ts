/**
 * The workbench store: the scenario being edited, the runs the worker plays, playback, and what is selected.
 * Edits are validated in the worker; a bad edit or import shows its messages and keeps what was loaded.
 * Simulated time is mapped from wall time here (the worker and the simulator never read a clock).
 */
import { batch, createSignal, type Accessor } from 'solid-js';
import { createStore, produce, reconcile, unwrap, type SetStoreFunction } from 'solid-js/store';
import type * as Comlink from 'comlink';
import type { MetricSample } from '../../sim/metrics.ts';
import type { Scenario } from '../../scenario/types.ts';
import type { ClusterLayout, Frame, GpuHistory, LoadResult, ProfileInfo, WhyHere, WorkbenchApi } from '../../worker/protocol.ts';
import type { EngineChoice } from '../../worker/engineInfo.ts';
import { createLongRuns, type LongRuns } from './longRun.ts';
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
  /** The scenario as edited (may be invalid while errors are shown). */
  draft: Scenario;
  /** Applies an edit to the draft and reloads the runs (debounced). */
  edit(fn: (s: Scenario) => void): void;
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
  /** Loads scenario JSON (preset, import, edit). Returns false and shows why when it is refused. */
  load(json: unknown, source: string): Promise<boolean>;
  /** Imports a file's text. */
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

const EMPTY: Scenario = {
  kind: 'slicebench/scenario',
  version: 1,
  name: 'empty',
  cluster: { pools: [] },
  workloads: [],
  schedulers: [{ profile: 'k8s-default' }],
  sim: { durationS: 3600, seed: 42, metricsStepS: 300 },
};

/** How the store starts its engine: the initial choice (engineChoice.ts) and where a user's choice is remembered. */
export interface WorkbenchOptions {
  engineChoice?: EngineChoice;
  rememberEngineChoice?: (choice: EngineChoice) => void;
}

/** Creates the store around a worker. Call inside a Solid root. */
export function createWorkbench(api: Comlink.Remote<WorkbenchApi>, options: WorkbenchOptions = {}): Workbench {
  const [profiles, setProfiles] = createSignal<ProfileInfo[]>([]);
  const [engine, setEngine] = createSignal<EngineStatus>(CHECKING_ENGINE);
  const [engineChoice, setEngineChoiceSignal] = createSignal<EngineChoice>(options.engineChoice ?? 'auto');
  const [engineSwitching, setEngineSwitching] = createSignal(false);
  const [draft, setDraft] = createStore<Scenario>(structuredClone(EMPTY));
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

  /**
   * Loads scenario JSON. An edit's load keeps the draft as it is (later edits may already be in it); a preset
   * or import replaces the draft with the loaded scenario.
   */
  async function load(json: unknown, source: string, fromEdit = false): Promise<boolean> {
    const r: LoadResult = await call<LoadResult>(api.load(json) as Promise<LoadResult>);
    if (!r.ok) {
      setErrors({ title: `${source}: not loaded — the current scenario is kept.`, items: r.errors.slice(0, 12).concat(r.errors.length > 12 ? [`… and ${r.errors.length - 12} more`] : []) });
      return false;
    }
    batch(() => {
      names = r.layout.runs.map(() => new Map());
      setErrors(null);
      if (!fromEdit) setDraft(reconcile(structuredClone(r.scenario)));
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

  function edit(fn: (s: Scenario) => void): void {
    setDraft(produce(fn));
    clearTimeout(editTimer);
    editTimer = setTimeout(() => {
      const wasPlaying = playing();
      void load(structuredClone(unwrap(draft)), 'Edit', true).then((ok) => {
        if (ok && wasPlaying) setPlaying(true);
      });
    }, 250);
  }

  async function importText(text: string, fileName: string): Promise<boolean> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      setErrors({ title: `Import of ${fileName}: not loaded — the current scenario is kept.`, items: [`${fileName}: not valid JSON (${(e as Error).message})`] });
      return false;
    }
    setPlaying(false);
    return load(json, `Import of ${fileName}`);
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
  const longRun = createLongRuns(api);
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
    draft,
    edit,
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
    load,
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

export type { SetStoreFunction };
