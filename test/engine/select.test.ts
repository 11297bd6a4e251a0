/** Engine selection with fake WebGPU providers, the --engine flag, and finishing on the CPU after a GPU failure. */
import { describe, expect, test } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { CpuEngine } from '../../src/engine/cpu/cpuEngine.ts';
import { FrameworkEvaluator } from '../../src/engine/evaluator/frameworkEvaluator.ts';
import { kernelSpecFor } from '../../src/engine/kernels/specs.ts';
import { EngineUnavailableError, isSoftwareAdapter, parseEngineFlag, selectEngine } from '../../src/engine/wiring/select.ts';
import type { Engine } from '../../src/engine/kernels/types.ts';
import { createScheduler } from '../../src/sched/profiles/index.ts';
import type { FrameworkScheduler } from '../../src/sched/runner.ts';
import { podOf, randomCluster, randomRequest } from '../parity/random.ts';
import { useEvaluator } from '../../src/sched/cycle.ts';
import { engineReason } from '../../src/cli/engine.ts';

const files = {};
const fakeGpu = (adapter: unknown): GPU => ({ requestAdapter: async () => adapter }) as unknown as GPU;
const swiftShader = { info: { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver', device: '' }, limits: {} };

describe('selectEngine', () => {
  test.each([
    { name: 'cpu requested', flag: 'cpu' as const, provider: null, reason: /requested with --engine cpu/ },
    { name: 'no navigator.gpu', flag: 'auto' as const, provider: { gpu: undefined, files }, reason: /CPU engine: WebGPU is not available/ },
    { name: 'no adapter', flag: 'auto' as const, provider: { gpu: fakeGpu(null), files }, reason: /CPU engine: no WebGPU adapter/ },
    { name: 'software adapter on auto', flag: 'auto' as const, provider: { gpu: fakeGpu(swiftShader), files }, reason: /only WebGPU adapter is a software one \(SwiftShader/ },
  ])('$name → CPU engine with a reason', async ({ flag, provider, reason }) => {
    const sel = await selectEngine(flag, provider);
    expect(sel.engine.kind).toBe('cpu');
    expect(engineReason(sel.status)).toMatch(reason);
  });

  test('--engine gpu without an adapter is an error, not a silent CPU run', async () => {
    await expect(selectEngine('gpu', { gpu: fakeGpu(null), files })).rejects.toThrow(EngineUnavailableError);
  });

  test('software adapters are recognised by the fallback flag or by name', () => {
    expect(isSoftwareAdapter(swiftShader as unknown as GPUAdapter)).toBe(true);
    expect(isSoftwareAdapter({ info: { isFallbackAdapter: true, vendor: 'x' } } as unknown as GPUAdapter)).toBe(true);
    expect(isSoftwareAdapter({ info: { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100', device: '' } } as unknown as GPUAdapter)).toBe(false);
  });

  test.each([
    { args: ['run', 'x.json'], engine: 'auto', rest: ['run', 'x.json'] },
    { args: ['--engine', 'gpu', 'x.json'], engine: 'gpu', rest: ['x.json'] },
    { args: ['x.json', '--engine=cpu'], engine: 'cpu', rest: ['x.json'] },
  ])('parseEngineFlag($args)', ({ args, engine, rest }) => {
    expect(parseEngineFlag(args)).toEqual({ engine, rest });
  });
  test('parseEngineFlag rejects unknown engines', () => {
    expect(() => parseEngineFlag(['--engine', 'tpu'])).toThrow('invalid --engine: tpu (cpu, gpu or auto)');
  });
});

describe('device lost mid-run', () => {
  test('FrameworkEvaluator finishes on the CPU engine with identical decisions', async () => {
    // an engine that answers like the CPU engine for 7 decisions, then fails as a lost device does
    const inner = new CpuEngine();
    let calls = 0;
    const flaky: Engine = {
      kind: 'gpu',
      label: 'fake GPU',
      attach: (c, s) => inner.attach(c, s),
      markDirty: (i) => inner.markDirty(i),
      evaluate: async (p, w) => {
        if (++calls > 7) throw new Error('device lost: test');
        return inner.evaluate(p, w);
      },
      scoreAll: (p) => inner.scoreAll(p),
      destroy: () => inner.destroy(),
    };
    const run = async (engine: Engine | null) => {
      const rng = new Rng(42);
      const c = randomCluster(rng, 150);
      const pods = Array.from({ length: 30 }, () => podOf(randomRequest(rng, 8000, 30000)));
      const fw = createScheduler('k8s-default', {}, { scenario: {} as never, cluster: c, rng }) as FrameworkScheduler;
      const ctx = { cluster: c, rng: new Rng(7), nowS: 0 };
      const ev = engine ? new FrameworkEvaluator(kernelSpecFor('k8s-default')!, engine) : null;
      const s = ev ? useEvaluator(fw, ev) : null;
      const r = s ? await s.cycleAsync!(pods, ctx) : fw.cycle(pods, ctx);
      return { placed: r.bound.map((p) => `${pods.indexOf(p)}@${p.binding!.nodeId}`), reason: ev ? engineReason(ev.status) : undefined, rng: ctx.rng.nextU32() };
    };
    const got = await run(flaky);
    const want = await run(null);
    expect(got.placed).toEqual(want.placed);
    expect(got.rng).toBe(want.rng);
    expect(got.reason).toMatch(/fake GPU failed \(device lost: test\); finished on the CPU engine/);
    expect(calls).toBe(8);
  });
});
