// @vitest-environment node
/**
 * HAMi v2.10.0 formulas, table-driven (kube `*_test.go` style): request normalization and the webhook, the per-GPU
 * score, the node score and the scoring-weights annotation. Each case derives its expected value by hand.
 */
import { describe, expect, it } from 'vitest';
import { admissionDefaultCores, admissionIsGpuContainer, admissionRejects, admit, normalizeRequest, parseGoBool, podHamiRequest, type ContainerResources } from '../../src/sched/hami/request.ts';
import { gpuScore, nodeScore, parseScoringWeights, type RequestTerms } from '../../src/sched/hami/score.ts';
import type { HamiGpu, HamiRequest, ScoringWeights } from '../../src/sched/hami/types.ts';

const card = (o: Partial<HamiGpu> = {}): HamiGpu => ({
  id: 'g', index: 0, type: 'NVIDIA', mode: 'hami-core', splitCount: 10, memTotalMiB: 81920, coresTotal: 100,
  usedSlots: 0, usedMemMiB: 0, usedCores: 0, numa: 0, healthy: true, ...o,
});
const req = (o: Partial<HamiRequest> = {}): HamiRequest => ({ gpuCount: 1, gpuType: 'NVIDIA', memMiB: 0, memPercent: null, cores: 0, ...o });

describe('normalizeRequest (GenerateResourceRequests)', () => {
  const cfg = { memoryFactor: 1, defaultMemMiB: 0, defaultCores: 0 };
  const cases: { name: string; res: ContainerResources; config?: typeof cfg; want: HamiRequest | null }[] = [
    // no nvidia.com/gpu: not a HAMi request at all
    { name: 'no gpu', res: { gpumem: 1000 }, want: null },
    // nothing but the count: no memory ⇒ percentage 100 (the whole card)
    { name: 'count only', res: { gpu: 1 }, want: req({ memPercent: 100 }) },
    // gpumem 2000 × memoryFactor 2 = 4000 MiB
    { name: 'memory factor', res: { gpu: 1, gpumem: 2000 }, config: { ...cfg, memoryFactor: 2 }, want: req({ memMiB: 4000 }) },
    // gpumem must fit int32 after the factor: MaxInt32 / 2 = 1073741823 (integer division); one more is dropped
    { name: 'gpumem at the int32 limit', res: { gpu: 1, gpumem: 1073741823 }, config: { ...cfg, memoryFactor: 2 }, want: req({ memMiB: 2147483646 }) },
    { name: 'gpumem beyond int32 drops the request', res: { gpu: 1, gpumem: 1073741824 }, config: { ...cfg, memoryFactor: 2 }, want: null },
    // a quantity that is no whole number (AsInt64 fails) or negative is dropped too
    { name: 'fractional gpumem drops the request', res: { gpu: 1, gpumem: 1.5 }, want: null },
    { name: 'negative gpumem drops the request', res: { gpu: 1, gpumem: -1 }, want: null },
    // percentage 250 > 100 clamps to 100
    { name: 'percentage clamps', res: { gpu: 2, gpumemPercentage: 250 }, want: req({ gpuCount: 2, memPercent: 100 }) },
    // percentage -5 ≤ 0 is unset; gpumem 512 is kept
    { name: 'negative percentage unset', res: { gpu: 1, gpumem: 512, gpumemPercentage: -5 }, want: req({ memMiB: 512 }) },
    // no memory, defaultMemory 1024 ⇒ 1024 MiB, no percentage
    { name: 'default memory', res: { gpu: 1 }, config: { ...cfg, defaultMemMiB: 1024 }, want: req({ memMiB: 1024 }) },
    // gpucores unset ⇒ defaultCores 25
    { name: 'default cores', res: { gpu: 1, gpumem: 100 }, config: { ...cfg, defaultCores: 25 }, want: req({ memMiB: 100, cores: 25 }) },
    // gpucores 30 set explicitly beats defaultCores
    { name: 'explicit cores', res: { gpu: 1, gpumem: 100, gpucores: 30 }, config: { ...cfg, defaultCores: 25 }, want: req({ memMiB: 100, cores: 30 }) },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(normalizeRequest(c.res, c.config ?? cfg)).toEqual(c.want);
    });
  }
});

describe('admission webhook', () => {
  it.each([
    // no gpucores and no memory field ⇒ whole card ⇒ exclusive 100
    [{ gpu: 1 }, 100],
    // percentage 100 ⇒ whole card ⇒ 100
    [{ gpu: 1, gpumemPercentage: 100 }, 100],
    // percentage 50 ⇒ a slice ⇒ gpucores stays unset
    [{ gpu: 1, gpumemPercentage: 50 }, null],
    // gpumem set ⇒ a slice ⇒ unset
    [{ gpu: 1, gpumem: 8192 }, null],
    // explicit gpucores is kept
    [{ gpu: 1, gpucores: 40 }, 40],
  ] as [ContainerResources, number | null][])('default cores of %j = %j', (res, want) => {
    expect(admissionDefaultCores(res)).toBe(want);
  });
  it('treats gpumem without a count as one GPU (defaultGPUNum 1), and nothing at all as no GPU container', () => {
    expect(admissionIsGpuContainer({ gpumem: 1 }, 1)).toBe(true);
    expect(admissionIsGpuContainer({ gpumem: 1 }, 0)).toBe(false);
    expect(admissionIsGpuContainer({}, 1)).toBe(false);
    expect(admit({ gpumem: 4096 })).toEqual({ gpu: 1, gpumem: 4096 });
  });
  it('rejects a percentage outside 0..100', () => {
    expect(admissionRejects({ gpu: 1, gpumemPercentage: 101 })).toBe(true);
    expect(admissionRejects({ gpu: 1, gpumemPercentage: -1 })).toBe(true);
    expect(admissionRejects({ gpu: 1, gpumemPercentage: 0 })).toBe(false);
  });
});

describe('our PodRequest as a HAMi request', () => {
  const base = { cpuMilli: 0, memMiB: 0, gpuMilli: 1000, gpuModels: [] };
  it.each([
    // nvidia.com/gpu: 1 alone: whole card (percentage 100) and exclusive cores 100
    [{ gpuCount: 1, gpuMemMiB: 0, gpuCores: 0 }, req({ memPercent: 100, cores: 100 })],
    // a 10 GiB slice with 30 % compute
    [{ gpuCount: 1, gpuMemMiB: 10240, gpuCores: 30 }, req({ memMiB: 10240, cores: 30 })],
    // gpumem without a count ⇒ webhook injects gpu = 1; no gpucores ⇒ defaultCores 0
    [{ gpuCount: 0, gpuMemMiB: 4096, gpuCores: 0 }, req({ memMiB: 4096 })],
    // two cards of 20 GiB each
    [{ gpuCount: 2, gpuMemMiB: 20480, gpuCores: 50 }, req({ gpuCount: 2, memMiB: 20480, cores: 50 })],
  ])('%j', (r, want) => {
    expect(podHamiRequest({ ...base, ...r })).toEqual(want);
  });
  it('a pod without GPU resources is no HAMi request', () => {
    expect(podHamiRequest({ ...base, gpuMilli: 0, gpuCount: 0, gpuMemMiB: 0, gpuCores: 0 })).toBeNull();
  });
});

describe('gpuScore (float32)', () => {
  const w111: ScoringWeights = { slot: 1, core: 1, memory: 1 };
  const cases: { name: string; gpu: HamiGpu; reqs: HamiRequest[]; weights?: ScoringWeights; terms?: RequestTerms; want: number }[] = [
    // idle card, request terms off: 10·(0/10 + 0/100 + 0/81920) = 0
    { name: 'idle', gpu: card(), reqs: [req({ memMiB: 8192, cores: 20 })], terms: 'off', want: 0 },
    // 10·(2/10 + 30/100 + 20480/81920) = 10·(0.2 + 0.3 + 0.25) = 7.5
    { name: 'usage only', gpu: card({ usedSlots: 2, usedCores: 30, usedMemMiB: 20480 }), reqs: [], want: 7.5 },
    // request counted (types equal): 10·((1+2)/10 + (20+30)/100 + (8192+20480)/81920) = 10·(0.3 + 0.5 + 0.35) = 11.5
    { name: 'request by type', gpu: card({ usedSlots: 2, usedCores: 30, usedMemMiB: 20480 }), reqs: [req({ memMiB: 8192, cores: 20 })], want: 11.5 },
    // same, but the card registered its model name: the request's `NVIDIA` ≠ `NVIDIA-H100`, so only usage = 7.5
    { name: 'model-name card ignores the request', gpu: card({ type: 'NVIDIA-H100', usedSlots: 2, usedCores: 30, usedMemMiB: 20480 }), reqs: [req({ memMiB: 8192, cores: 20 })], want: 7.5 },
    // terms forced on for a model-name card: 11.5 again
    { name: 'terms on', gpu: card({ type: 'NVIDIA-H100', usedSlots: 2, usedCores: 30, usedMemMiB: 20480 }), reqs: [req({ memMiB: 8192, cores: 20 })], terms: 'on', want: 11.5 },
    // percentage 50 of 81920 = 40960 MiB counted: 10·(1/10 + 0/100 + 40960/81920) = 10·(0.1 + 0 + 0.5) = 6
    { name: 'percentage memory', gpu: card(), reqs: [req({ memPercent: 50 })], want: 6 },
    // two requests count n = 2 (one each, whatever gpuCount=4): 10·(2/10 + 20/100 + 2048/81920) = 10·(0.2+0.2+0.025) = 4.25
    { name: 'one slot per request', gpu: card(), reqs: [req({ gpuCount: 4, memMiB: 1024, cores: 10 }), req({ memMiB: 1024, cores: 10 })], want: 4.25 },
    // weights slot=2, core=0, memory=1: 10·(2·0.2 + 0·0.3 + 1·0.25) = 6.5
    { name: 'weights', gpu: card({ usedSlots: 2, usedCores: 30, usedMemMiB: 20480 }), reqs: [], weights: { slot: 2, core: 0, memory: 1 }, want: 6.5 },
    // zero capacity: 0, no division by zero
    { name: 'zero capacity', gpu: card({ splitCount: 0 }), reqs: [], want: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(gpuScore(c.gpu, c.reqs, c.weights ?? w111, c.terms ?? 'byType')).toBeCloseTo(c.want, 5);
    });
  }
  it('rounds like float32, not float64', () => {
    // 10·(1/10 + 1/10 + 1/10) in float32 is fround(3.0000001192...) = 3.0000002384185791, not 3.0000000000000004
    const s = gpuScore(card({ memTotalMiB: 10, usedSlots: 1, usedCores: 10, usedMemMiB: 1 }), []);
    expect(s).toBe(Math.fround(s));
    expect(s).not.toBe(10 * (0.1 + 0.1 + 0.1));
  });
});

describe('nodeScore (usage before the pod)', () => {
  it.each([
    // 10·(5/20 + 50/200 + 4000/16000) = 10·(0.25+0.25+0.25) = 7.5 (hami.json sched-1node-2gpu-one-used)
    [[card({ splitCount: 10, memTotalMiB: 8000 }), card({ splitCount: 10, memTotalMiB: 8000, usedSlots: 5, usedCores: 50, usedMemMiB: 4000 })], 7.5],
    // one full card of two: 10·(10/20 + 100/200 + 81920/163840) = 15
    [[card({ usedSlots: 10, usedCores: 100, usedMemMiB: 81920 }), card()], 15],
    // an empty node: 0
    [[card(), card()], 0],
    // no cards: 0 (denominators 0)
    [[], 0],
  ] as [HamiGpu[], number][])('case %#', (gpus, want) => {
    expect(nodeScore(gpus)).toBeCloseTo(want, 5);
  });
});

describe('hami.io/device-scoring-weights (HAMi pkg/util/device_scoring_weights.go ParseDeviceScoringWeights)', () => {
  it.each([
    ['slot=1,core=1,memory=3', { slot: 1, core: 1, memory: 3 }],
    // three parts, each trimmed, key and value trimmed again: slot 2, core 1, memory 0; not all zero → valid
    [' slot = 2 , core=1 , memory = 0 ', { slot: 2, core: 1, memory: 0 }],
    // any order; ParseInt accepts a leading sign
    ['memory=+4,slot=0,core=1', { slot: 0, core: 1, memory: 4 }],
  ])('%j parses', (raw, want) => {
    expect(parseScoringWeights(raw)).toEqual({ ok: true, weights: want });
  });
  it.each([
    // strings.Split("", ",") is [""]: one part, not three
    ['', 'expected slot, core, and memory weights'],
    ['memory=3', 'expected slot, core, and memory weights'],
    ['slot=1,core=1,memory=1,', 'expected slot, core, and memory weights'],
    ['slot=1,core,memory=1', 'expected key=value entries'],
    ['slot=1,slot=2,memory=1', 'duplicate "slot" weight'],
    // base-10 integers only
    ['slot=1,core=0.5,memory=1', '"core" weight must be an integer'],
    ['slot=1,core=-1,memory=3', '"core" weight must not be negative'],
    // the value is checked before the key
    ['slot=1,core=1,gpu=1', 'unknown weight "gpu"'],
    ['slot=0,core=0,memory=0', 'at least one weight must be positive'],
  ])('%j is an error', (raw, msg) => {
    const p = parseScoringWeights(raw);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.error).toContain(msg);
  });
});

describe('Go ParseBool for nvidia.com/numa-bind', () => {
  it.each([['true', true], ['1', true], ['T', true], ['True', true], ['false', false], ['yes', false], ['', false], [undefined, false]])('%j → %j', (raw, want) => {
    expect(parseGoBool(raw as string | undefined)).toBe(want);
  });
});
