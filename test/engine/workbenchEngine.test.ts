/**
 * The workbench session on an engine selection: a GPU selection puts k8s-default runs on EngineScheduler and
 * advanceToAsync gives the same runs as the synchronous CPU session; a device lost mid-run finishes on the CPU
 * engine with the same traceHash. (The "GPU" here is the CPU twin behind the Engine interface, failing on cue.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { EngineScheduler } from '../../src/engine/engineScheduler.ts';
import type { EngineSelection } from '../../src/engine/select.ts';
import type { Engine } from '../../src/engine/types.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { WorkbenchSession } from '../../src/worker/session.ts';

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
    evaluate: async (p: Parameters<Engine['evaluate']>[0], w: Parameters<Engine['evaluate']>[1]) => {
      if (++e.calls > failAfter) throw new Error('device lost: test');
      return inner.evaluate(p, w);
    },
    scoreAll: (p: Parameters<Engine['scoreAll']>[0]) => inner.scoreAll(p),
    destroy: () => inner.destroy(),
  };
  return e;
}

const selection = (engine: Engine): EngineSelection => ({ engine, reason: 'WebGPU: fake', adapter: 'fake', software: false });

describe('workbench session on an engine', () => {
  test('GPU selection: k8s-default runs on EngineScheduler, other profiles stay on the CPU code; frames equal the CPU session', async () => {
    const cpu = new WorkbenchSession(scenario);
    const gpu = fakeGpu();
    const eng = new WorkbenchSession(scenario, selection(gpu));
    const kinds = eng.simulations().map((s) => s.scheduler instanceof EngineScheduler);
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

  test('device lost mid-run: the run finishes on the CPU engine, same traceHash, reason updated', async () => {
    const cpu = new WorkbenchSession(scenario);
    const eng = new WorkbenchSession(scenario, selection(fakeGpu(5)));
    cpu.advanceTo(scenario.sim.durationS);
    await eng.advanceToAsync(scenario.sim.durationS);
    expect(eng.simulations().map((s) => s.traceHash())).toEqual(cpu.simulations().map((s) => s.traceHash()));
    const s = eng.simulations().find((x) => x.scheduler instanceof EngineScheduler)!.scheduler as EngineScheduler;
    expect(s.activeEngine.kind).toBe('cpu');
    expect(s.reason).toMatch(/fake GPU failed \(device lost: test\); finished on the CPU engine/);
  });
});
