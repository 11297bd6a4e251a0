/**
 * The simulation worker: the one comlink boundary. It owns the scenario's runs (a WorkbenchSession) and the
 * scheduler code; the main thread only sends commands and draws the frames it gets back.
 */
import * as Comlink from 'comlink';
import { listProfiles } from '../sched/profiles/index.ts';
import { parseScenario } from '../scenario/validate.ts';
import { ScenarioError } from '../scenario/errors.ts';
import { browserGpuProvider, chooseWorkbenchEngine, ENGINE_CHOICES, type EngineChoice, type EngineStatus, type WorkbenchEngine } from './engineInfo.ts';
import { WorkbenchSession } from './session.ts';
import { runLong, type LongRunProgress, type LongRunResult } from './longRun.ts';
import type { EngineSelection } from '../engine/wiring/select.ts';
import type { EngineSwitch, Frame, LoadResult, ProfileInfo, ValidateResult, WorkbenchApi } from './protocol.ts';

let session: WorkbenchSession | null = null;

/** The engine in effect: `auto` until the main thread chooses (it does so before its first load). */
let current: Promise<WorkbenchEngine> | null = null;
function currentEngine(): Promise<WorkbenchEngine> {
  current ??= chooseWorkbenchEngine('auto', browserGpuProvider());
  return current;
}
/** The selection sessions are built with (null: the plain CPU scheduler code). */
async function workbenchEngine(): Promise<EngineSelection | null> {
  return (await currentEngine()).selection;
}

/** The buffers of a frame's typed arrays (fresh for every frame, so they can be moved, not copied). */
function frameBuffers(frame: Frame): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const r of frame.runs) {
    for (const a of [r.gpuMilli, r.gpuMemMiB, r.gpuUsedPct, r.nodeCpuMilli, r.nodeMemMiB, r.sliceGpu, r.sliceUid, r.sliceMilli, r.sliceKind]) buffers.push(a.buffer as ArrayBuffer);
    if (r.sliceMig) buffers.push(r.sliceMig.buffer as ArrayBuffer);
  }
  return buffers;
}

/** Moves a frame's typed arrays to the main thread. */
function transferFrame(frame: Frame): Frame {
  return Comlink.transfer(frame, frameBuffers(frame));
}

/**
 * Session calls run one at a time: with the WebGPU engine a run awaits readbacks, and another message arriving
 * meanwhile must not step the same simulations.
 */
let chain: Promise<unknown> = Promise.resolve();
function serial<T>(f: () => T | Promise<T>): Promise<T> {
  const next = chain.then(f, f);
  chain = next.catch(() => undefined);
  return next;
}

function need(): WorkbenchSession {
  if (!session) throw new Error('no scenario loaded');
  return session;
}

const api: WorkbenchApi = {
  profiles(): ProfileInfo[] {
    return listProfiles().map((p) => ({ name: p.name, title: p.title, summary: p.summary, models: p.models, knobs: p.knobs, defaults: { ...p.defaults } }));
  },
  async engine(): Promise<EngineStatus> {
    return (await currentEngine()).status();
  },
  setEngine(choice: EngineChoice, onProgress?: (p: LongRunProgress) => void): Promise<EngineSwitch> {
    return serial(() => switchEngine(choice, onProgress));
  },
  validate(json: unknown): ValidateResult {
    return parseScenario(json);
  },
  load(json: unknown): Promise<LoadResult> {
    return serial(() => loadNow(json));
  },
  advanceTo(tS: number): Promise<Frame> {
    return serial(async () => transferFrame(await need().advanceToAsync(tS)));
  },
  stepEvent(): Promise<Frame> {
    return serial(() => transferFrame(need().stepEvent()));
  },
  seek(tS: number): Promise<Frame> {
    return serial(async () => transferFrame(await need().seekAsync(tS)));
  },
  explain(run: number, podName: string) {
    return serial(() => need().explainAsync(run, podName));
  },
  gpuHistory(run: number, node: number, gpu: number) {
    return serial(() => need().gpuHistory(run, node, gpu));
  },
  runTo(tS: number, onProgress?: (p: LongRunProgress) => void): Promise<LongRunResult> {
    return serial(() => runLongNow(tS, onProgress));
  },
  cancel(): void {
    cancelledRun = longRunSeq;
  },
};

let longRunSeq = 0;
let cancelledRun = 0;

/** A long run or seek in slices (longRun.ts); a cancel or a new scenario stops it. */
async function runLongNow(tS: number, onProgress?: (p: LongRunProgress) => void): Promise<LongRunResult> {
  const s = need();
  const id = ++longRunSeq;
  const engine = await workbenchEngine();
  const out = await runLong(s, tS, { nowMs: () => performance.now(), yieldToEvents: nextTask, cancelled: () => cancelledRun >= id || session !== s, onProgress }, () => new WorkbenchSession(s.scenario, engine));
  // The callback is a comlink proxy holding a MessagePort: release it.
  if (onProgress) (onProgress as unknown as { [Comlink.releaseProxy]?: () => void })[Comlink.releaseProxy]?.();
  if (session !== s) return { cancelled: true, frame: null };
  session = out.session;
  return out.result.frame ? Comlink.transfer(out.result, frameBuffers(out.result.frame)) : out.result;
}

/**
 * Selects the engine for `choice` and moves the runs onto it: a fresh session on the new engine replays to the
 * current time in slices (a run is a pure function of scenario and seed: same traceHash, same charts). Cancelled,
 * the previous engine and session stay; done, the previous engine is released.
 */
async function switchEngine(choice: EngineChoice, onProgress?: (p: LongRunProgress) => void): Promise<EngineSwitch> {
  if (!ENGINE_CHOICES.includes(choice)) throw new Error(`unknown engine choice: ${String(choice)}`);
  const prev = await currentEngine();
  const next = await chooseWorkbenchEngine(choice, browserGpuProvider());
  const s = session;
  let frame: Frame | null = null;
  if (s) {
    const id = ++longRunSeq;
    const out = await runLong(s, s.nowS, { nowMs: () => performance.now(), yieldToEvents: nextTask, cancelled: () => cancelledRun >= id || session !== s, onProgress }, () => new WorkbenchSession(s.scenario, next.selection), true);
    if (onProgress) (onProgress as unknown as { [Comlink.releaseProxy]?: () => void })[Comlink.releaseProxy]?.();
    if (out.result.cancelled || session !== s) {
      next.destroy();
      return { status: prev.status(), choice: prev.choice, cancelled: true, frame: null };
    }
    session = out.session;
    frame = out.result.frame;
  }
  current = Promise.resolve(next);
  if (prev !== next) prev.destroy();
  const result: EngineSwitch = { status: next.status(), choice, cancelled: false, frame };
  return frame ? Comlink.transfer(result, frameBuffers(frame)) : result;
}

/** Resolves on a later task, so messages waiting (a cancel) are handled first. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

/** Validates and loads a scenario with the worker's engine. */
async function loadNow(json: unknown): Promise<LoadResult> {
  const r = parseScenario(json);
  if (!r.ok) return r;
  const engine = await workbenchEngine();
  try {
    const next = new WorkbenchSession(r.scenario, engine);
    session = next;
    const frame = next.frame();
    // The layout's arrays stay with the session (it reuses them), so they are copied; the frame's are moved.
    return Comlink.transfer({ ok: true, layout: next.layout, scenario: r.scenario, frame }, frameBuffers(frame));
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, errors: [e.message] };
    throw e;
  }
}

Comlink.expose(api);
