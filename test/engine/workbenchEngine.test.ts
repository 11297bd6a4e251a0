/**
 * The workbench session on an engine selection: a GPU selection puts k8s-default runs on FrameworkEvaluator and
 * advanceToAsync gives the same runs as the synchronous CPU session; a device lost mid-run finishes on the CPU
 * engine with the same traceHash. (The "GPU" here is the CPU twin behind the Engine interface, failing on cue.)
 * The engine choice (src/worker/engineInfo.ts): what each choice selects and says, and switching engines mid-run
 * (a replay on the new engine to the same time: same traceHash, same series; cancelled, the old runs stay).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { FrameworkEvaluator } from '../../src/engine/evaluator/frameworkEvaluator.ts';
import type { EngineSelection } from '../../src/engine/wiring/select.ts';
import type { Engine } from '../../src/engine/kernels/types.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { WorkbenchSession } from '../../src/worker/session.ts';
import { runLong, type LongRunHooks } from '../../src/worker/longRun.ts';
import { chooseWorkbenchEngine, workbenchEngineStatus, type EngineChoice } from '../../src/worker/engineInfo.ts';
import { engineSentence } from '../../src/ui/lib/engineLine.ts';
import { engineReason } from '../../src/cli/engine.ts';
import { cpuStatus } from '../../src/engine/wiring/status.ts';
import type { GpuProvider } from '../../src/engine/wiring/select.ts';
import { engineEvaluatorOf } from '../../src/engine/wiring/wire.ts';

const raw = JSON.parse(readFileSync(new URL('../../public/scenarios/small-mixed.json', import.meta.url), 'utf8'));
const parsed = parseScenario(raw);
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const scenario: Scenario = parsed.scenario;

/** A GPU-kind engine backed by the CPU twin that throws like a lost device after `failAfter` evaluations. */
function fakeGpu(failAfter = Infinity): Engine & { calls: number } {
  const inner = new CpuEngine();
  const e = {
    kind: 'gpu' as const,
    label: 'fake GPU',
    calls: 0,
    attach: (c: Parameters<Engine['attach']>[0], s: Parameters<Engine['attach']>[1]) => inner.attach(c, s),
    markDirty: (i: number) => inner.markDirty(i),
    evaluate: async (p: Parameters<Engine['evaluate']>[0], w: Parameters<Engine['evaluate']>[1], topK?: number) => {
      if (++e.calls > failAfter) throw new Error('device lost: test');
      return inner.evaluate(p, w, topK);
    },
    scoreAll: (p: Parameters<Engine['scoreAll']>[0]) => inner.scoreAll(p),
    destroy: () => inner.destroy(),
  };
  return e;
}

const selection = (engine: Engine): EngineSelection => ({ engine, status: { engine: 'gpu', cause: 'auto', adapter: 'fake', detail: '' }, adapter: 'fake', software: false });

describe('workbench session on an engine', () => {
  test('GPU selection: k8s-default runs on FrameworkEvaluator, other profiles stay on the CPU code; frames equal the CPU session', async () => {
    const cpu = new WorkbenchSession(scenario);
    const gpu = fakeGpu();
    const eng = new WorkbenchSession(scenario, selection(gpu));
    const kinds = eng.simulations().map((s) => engineEvaluatorOf(s.scheduler) instanceof FrameworkEvaluator);
    expect(kinds).toEqual(scenario.schedulers.map((s) => s.profile === 'k8s-default'));
    expect(kinds).toContain(true);
    for (const t of [3600, 7200, scenario.sim.durationS]) {
      cpu.advanceTo(t);
      await eng.advanceToAsync(t);
      expect(eng.simulations().map((s) => s.traceHash())).toEqual(cpu.simulations().map((s) => s.traceHash()));
    }
    expect(gpu.calls).toBeGreaterThan(10);
    // seeking back replays on the engine too
    await eng.seekAsync(1800);
    cpu.seek(1800);
    expect(eng.simulations().map((s) => s.traceHash())).toEqual(cpu.simulations().map((s) => s.traceHash()));
  });

  test('"why here?" of a waiting pod on the engine run: explainAsync ranks on the engine, equal to the CPU session', async () => {
    const cpu = new WorkbenchSession(scenario);
    const gpu = fakeGpu();
    const eng = new WorkbenchSession(scenario, selection(gpu));
    cpu.advanceTo(3600);
    await eng.advanceToAsync(3600);
    const run = scenario.schedulers.findIndex((s) => s.profile === 'k8s-default');
    const waiting = cpu.simulations()[run].pods.filter((p) => p.phase === 'pending').map((p) => p.name);
    expect(waiting.length).toBeGreaterThan(0);
    for (const name of waiting) {
      const before = gpu.calls;
      const got = await eng.explainAsync(run, name);
      expect(gpu.calls, name).toBe(before + 1);
      expect(got, name).toEqual(cpu.explain(run, name));
      expect(got!.at).toBe('now');
      expect(got!.explanation).not.toBeNull();
    }
  });

  test('device lost mid-run: the run finishes on the CPU engine, same traceHash, reason updated', async () => {
    const cpu = new WorkbenchSession(scenario);
    const eng = new WorkbenchSession(scenario, selection(fakeGpu(5)));
    cpu.advanceTo(scenario.sim.durationS);
    await eng.advanceToAsync(scenario.sim.durationS);
    expect(eng.simulations().map((s) => s.traceHash())).toEqual(cpu.simulations().map((s) => s.traceHash()));
    const s = engineEvaluatorOf(eng.simulations().find((x) => engineEvaluatorOf(x.scheduler) instanceof FrameworkEvaluator)!.scheduler)!;
    expect(s.activeEngine.kind).toBe('cpu');
    expect(engineReason(s.status)).toMatch(/fake GPU failed \(device lost: test\); finished on the CPU engine/);
  });
});

/** A navigator.gpu stand-in whose requestAdapter gives `adapter` (or throws it when it is an Error). */
function fakeProvider(adapter: unknown): GpuProvider {
  const gpu = { requestAdapter: async () => { if (adapter instanceof Error) throw adapter; return adapter; } } as unknown as GPU;
  return { gpu, files: {} };
}
const NO_WEBGPU: GpuProvider = { gpu: undefined, missing: 'this browser has no WebGPU (navigator.gpu)', files: {} };
const SOFTWARE = { info: { description: 'SwiftShader Device (Subzero)', vendor: 'google' }, limits: {} };

describe('engine choice: what each choice selects and the line it shows', () => {
  test.each([
    // case, choice, provider, engine kind, line
    ['cpu, no WebGPU', 'cpu', NO_WEBGPU, 'cpu', /^CPU engine: chosen in the workbench$/],
    ['cpu, software adapter there', 'cpu', fakeProvider(SOFTWARE), 'cpu', /^CPU engine: chosen in the workbench$/],
    ['auto, no navigator.gpu', 'auto', NO_WEBGPU, 'cpu', /^CPU engine: this browser has no WebGPU \(navigator\.gpu\)$/],
    ['auto, no provider', 'auto', null, 'cpu', /^CPU engine: WebGPU is not available/],
    ['auto, no adapter', 'auto', fakeProvider(null), 'cpu', /^CPU engine: no WebGPU adapter$/],
    // auto keeps the CPU on a software adapter and says how to force it
    ['auto, software adapter', 'auto', fakeProvider(SOFTWARE), 'cpu', /^CPU engine: the only WebGPU adapter is a software one \(SwiftShader Device \(Subzero\) \/ google\), slower than the CPU engine; choose Engine: GPU to force it$/],
    // forcing fails clearly and stays on the CPU
    ['gpu forced, no navigator.gpu', 'gpu', NO_WEBGPU, 'cpu', /^CPU engine: GPU forced, but this browser has no WebGPU \(navigator\.gpu\); staying on the CPU engine$/],
    ['gpu forced, no adapter', 'gpu', fakeProvider(null), 'cpu', /^CPU engine: GPU forced, but no WebGPU adapter; staying on the CPU engine$/],
    ['gpu forced, requestAdapter throws', 'gpu', fakeProvider(new Error('blocked')), 'cpu', /^CPU engine: GPU forced, but requesting a WebGPU adapter failed: blocked; staying/],
  ] as const)('%s', async (_case, choice, provider, kind, line) => {
    const we = await chooseWorkbenchEngine(choice as EngineChoice, provider);
    expect(we.choice).toBe(choice);
    expect(we.selection?.engine.kind).toBe(kind);
    expect(engineSentence(we.status())).toMatch(line);
  });

  test('lines for a GPU selection: auto or forced, software named, a lost device', () => {
    const sel = (choice: EngineChoice, software: boolean): EngineSelection => {
      const adapter = software ? 'SwiftShader' : 'NVIDIA H100';
      return { engine: fakeGpu(), status: { engine: 'gpu', cause: choice === 'gpu' ? 'requested' : 'auto', adapter, detail: '', software }, adapter, software };
    };
    const line = (choice: EngineChoice, software: boolean | null, failure: string | null, refusal: string | null = null): string =>
      engineSentence(workbenchEngineStatus(choice, software === null ? null : sel(choice, software), refusal === null ? null : cpuStatus('selection-failed', refusal), failure));
    expect(line('gpu', true, null)).toBe('WebGPU: SwiftShader (software adapter, not a GPU — forced; profiles without a GPU kernel run on the CPU)');
    expect(line('auto', false, null)).toBe('WebGPU: NVIDIA H100 (auto; profiles without a GPU kernel run on the CPU)');
    expect(line('gpu', false, null)).toBe('WebGPU: NVIDIA H100 (forced; profiles without a GPU kernel run on the CPU)');
    expect(line('gpu', true, 'device lost: reset')).toBe('CPU engine: fake GPU failed (device lost: reset); the runs finish on the CPU engine');
    expect(line('auto', null, null, 'TypeError')).toBe('CPU engine: engine selection failed (TypeError)');
  });
});

describe('switching engines mid-run (the worker replays onto the new engine)', () => {
  const hooks = (cancelAfter = Infinity): LongRunHooks => {
    let slices = 0;
    let ms = 0;
    return { nowMs: () => (ms += 100), yieldToEvents: () => Promise.resolve(), cancelled: () => slices >= cancelAfter, onProgress: () => void slices++, sliceMs: 40 };
  };
  const hashes = (s: WorkbenchSession): string[] => s.simulations().map((x) => x.traceHash());
  /** Deep equality with numbers equal to a relative 1e-9 (same structure, same strings and counts). */
  const expectClose = (got: unknown, want: unknown, path = '$'): void => {
    if (typeof want === 'number' && typeof got === 'number') {
      if (Math.abs(got - want) > 1e-9 * Math.max(1, Math.abs(want))) expect.fail(`${path}: ${got} ≠ ${want}`);
      return;
    }
    if (want && typeof want === 'object') {
      expect(Object.keys(got as object), path).toEqual(Object.keys(want));
      for (const k of Object.keys(want)) expectClose((got as Record<string, unknown>)[k], (want as Record<string, unknown>)[k], `${path}.${k}`);
      return;
    }
    expect(got, path).toEqual(want);
  };

  test('CPU → GPU → CPU at 2:00:00: every replay equals the runs it replaces (traceHash; series and summary to float rounding), and carries on identically', async () => {
    const t = 7200;
    const cpu = new WorkbenchSession(scenario);
    const before = cpu.advanceTo(t);
    const gpu = fakeGpu();
    const onGpu = await runLong(cpu, cpu.nowS, hooks(), () => new WorkbenchSession(scenario, selection(gpu)), true);
    expect(onGpu.result.cancelled).toBe(false);
    expect(onGpu.session).not.toBe(cpu);
    expect(onGpu.session.nowS).toBe(t);
    expect(onGpu.session.simulations().some((s) => engineEvaluatorOf(s.scheduler) instanceof FrameworkEvaluator)).toBe(true);
    expect(gpu.calls).toBeGreaterThan(5);
    const f = onGpu.result.frame!;
    expect(f.replayed).toBe(true); // the main thread rebuilds its series from the frame's samples
    expect(f.runs.map((r) => r.traceHash)).toEqual(before.runs.map((r) => r.traceHash));
    // Summaries and series agree to float rounding: time integrals are summed per advance, so a replay in other
    // slices than the original playback moves the last bits (the traceHash, events and bindings are identical).
    expectClose(f.runs.map((r) => r.summary), before.runs.map((r) => r.summary));
    expectClose(f.runs.map((r) => r.samples), cpu.simulations().map((s) => s.series));
    expect(f.runs.map((r) => r.samples.length)).toEqual(cpu.simulations().map((s) => s.series.length));
    // both carry on to the end identically, and back onto the CPU the same
    cpu.advanceTo(scenario.sim.durationS);
    await onGpu.session.advanceToAsync(scenario.sim.durationS);
    expect(hashes(onGpu.session)).toEqual(hashes(cpu));
    const back = await runLong(onGpu.session, onGpu.session.nowS, hooks(), () => new WorkbenchSession(scenario), true);
    expect(hashes(back.session)).toEqual(hashes(cpu));
    expect(back.session.simulations().some((s) => engineEvaluatorOf(s.scheduler) instanceof FrameworkEvaluator)).toBe(false);
  });

  test('a cancelled switch keeps the previous runs untouched (no frame)', async () => {
    const cpu = new WorkbenchSession(scenario);
    cpu.advanceTo(3 * 3600);
    const want = hashes(cpu);
    const out = await runLong(cpu, cpu.nowS, hooks(2), () => new WorkbenchSession(scenario, selection(fakeGpu())), true);
    expect(out.result).toEqual({ cancelled: true, frame: null });
    expect(out.session).toBe(cpu);
    expect(hashes(cpu)).toEqual(want);
    expect(cpu.nowS).toBe(3 * 3600);
  });
});
