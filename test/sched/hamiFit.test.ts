// @vitest-environment node
/**
 * HAMi v2.10.0 GPU ordering, the per-GPU filter chain of Fit (with its reasons and message), numa-bind, mutex and
 * topology-aware selection, and our mapping of node topologies to HAMi link entries. Table-driven; each case
 * works its expectation out by hand.
 */
import { describe, expect, it } from 'vitest';
import { formatFitReasons, gpuFit, gpuTypeMatches, gpuUuidMatches } from '../../src/sched/hami/fit.ts';
import { fitContainer, scoredCopy, sortGpuList } from '../../src/sched/hami/nodeSchedule.ts';
import { chainKeys, gpuLess, nodeLess } from '../../src/sched/hami/order.ts';
import { bestCombination, combinations, linkEntries, linkPairScore, topologyPairScores, worstSingle } from '../../src/sched/hami/topology.ts';
import { defaultPodOptions, type HamiGpu, type HamiPodOptions, type HamiRequest } from '../../src/sched/hami/types.ts';

const card = (id: string, o: Partial<HamiGpu> = {}): HamiGpu => ({
  id, index: Number(id.replace(/\D/g, '') || 0), type: 'NVIDIA-A100', mode: 'hami-core', splitCount: 10, memTotalMiB: 10000, coresTotal: 100,
  usedSlots: 0, usedMemMiB: 0, usedCores: 0, numa: 0, healthy: true, ...o,
});
const req = (o: Partial<HamiRequest> = {}): HamiRequest => ({ gpuCount: 1, gpuType: 'NVIDIA', memMiB: 1000, memPercent: null, cores: 10, ...o });
const opts = (o: Partial<HamiPodOptions> = {}): HamiPodOptions => ({ ...defaultPodOptions(''), ...o });

/** The card tried first after sorting by a policy (the list's last element). */
function firstTried(gpus: HamiGpu[], scores: number[], policy: string, numaBind = false): string {
  const list = scoredCopy(gpus);
  list.forEach((e, i) => (e.score = scores[i]));
  sortGpuList(list, policy, numaBind);
  return list.map((e) => e.gpu.id).reverse().join(',');
}

describe('GPU order Less', () => {
  const k = (score: number, numa: number, usedSlots = 0, index = 0) => ({ score, numa, usedSlots, index });
  it.each([
    // binpack: score ascending, NUMA ascending on ties
    ['binpack', false, k(1, 1), k(2, 0), true],
    ['binpack', false, k(2, 0), k(2, 1), true],
    // spread (and topology-aware, and anything else): score descending
    ['spread', false, k(2, 1), k(1, 0), true],
    ['topology-aware', false, k(2, 1), k(1, 0), true],
    ['whatever', false, k(1, 0), k(2, 0), false],
    // binpack + numa-bind: NUMA descending first
    ['binpack', true, k(9, 1), k(1, 0), true],
    // spread + numa-bind: NUMA ascending first, then score descending
    ['spread', true, k(1, 0), k(9, 1), true],
    ['spread', true, k(9, 0), k(1, 0), true],
    // mutex: used descending, then NUMA ascending
    ['mutex', false, k(0, 0, 3), k(0, 0, 1), true],
    ['mutex', false, k(0, 1, 1), k(0, 0, 1), false],
    // chain binpack,numa: score ascending, then NUMA, then index ascending
    ['binpack,numa', false, k(5, 1, 0, 0), k(5, 1, 0, 3), true],
    // chain numa,spread: NUMA first
    ['numa,spread', false, k(1, 0), k(9, 1), true],
    // mutex in a chain is no sort key: spread decides (score 10 < 20 ⇒ not before)
    ['mutex,spread', false, k(10, 0, 5), k(20, 0, 0), false],
  ] as [string, boolean, ReturnType<typeof k>, ReturnType<typeof k>, boolean][])('%s numaBind=%s', (policy, bind, a, b, want) => {
    expect(gpuLess(a, b, policy, bind)).toBe(want);
  });
  it('chain keys: empty ⇒ spread, numa-bind moves numa first', () => {
    expect(chainKeys('mutex,', false)).toEqual(['spread']);
    expect(chainKeys('binpack,numa', true)).toEqual(['numa', 'binpack']);
  });
  it('node Less: binpack ascending (the highest wins), exactly spread descending', () => {
    expect(nodeLess(1, 2, 'binpack')).toBe(true);
    expect(nodeLess(1, 2, 'spread')).toBe(false);
    expect(nodeLess(1, 2, 'spread ')).toBe(true);
  });

  // domain.md §6.2 worked example: 8 identical idle cards, 0–3 on NUMA 0, 4–7 on NUMA 1.
  const eight = Array.from({ length: 8 }, (_, i) => card(`g${i}`, { index: i, numa: i < 4 ? 0 : 1 }));
  it.each([
    ['binpack', false, 'g7'],
    ['spread', false, 'g7'],
    ['numa', false, 'g7'],
    ['mutex', false, 'g7'],
    // binpack + numa-bind: NUMA descending puts NUMA 0 last; stable ⇒ card 3 is tried first
    ['binpack', true, 'g3'],
  ] as [string, boolean, string][])('empty node, %s (numa-bind %s) tries %s first', (policy, bind, want) => {
    expect(firstTried(eight, new Array(8).fill(0), policy, bind).split(',')[0]).toBe(want);
  });
  it('card 1 partly used: binpack tries card 1 then card 7, spread tries card 7', () => {
    const scores = [0, 5, 0, 0, 0, 0, 0, 0];
    expect(firstTried(eight, scores, 'binpack').split(',').slice(0, 2)).toEqual(['g1', 'g7']);
    expect(firstTried(eight, scores, 'spread').split(',')[0]).toBe('g7');
  });
});

describe('a single GPU policy is compared as written (gpu_policy.go Less: no trimming)', () => {
  it("' binpack' is not binpack: it sorts as spread", () => {
    // scores g0 1, g1 5: binpack sorts ascending, so the busiest g1 is last (tried first); spread the idlest g0.
    const gpus = [card('g0'), card('g1')];
    expect(firstTried(gpus, [1, 5], 'binpack').split(',')[0]).toBe('g1');
    expect(firstTried(gpus, [1, 5], ' binpack').split(',')[0]).toBe('g0');
    expect(firstTried(gpus, [1, 5], 'spread').split(',')[0]).toBe('g0');
  });
});

describe('Fit filter chain', () => {
  // One card per case: the first failing check is its reason, message "1/1 <Reason>".
  const cases: { name: string; gpu: HamiGpu; r?: HamiRequest; o?: HamiPodOptions; reason: string | null }[] = [
    { name: 'unhealthy', gpu: card('g0', { healthy: false }), reason: 'CardNotHealth' },
    { name: 'cordoned (wins over memory)', gpu: card('g0', { usedMemMiB: 10000 }), o: opts({ cordoned: new Set(['g0']) }), reason: 'CardCordoned' },
    // use-gputype H100 is no substring of NVIDIA-A100
    { name: 'use-gputype', gpu: card('g0'), o: opts({ gpuTypeAllow: 'H100' }), reason: 'CardTypeMismatch' },
    { name: 'nouse-gputype', gpu: card('g0'), o: opts({ gpuTypeDeny: 'a100' }), reason: 'CardTypeMismatch' },
    { name: 'uuid allow', gpu: card('g0'), o: opts({ uuidAllow: 'g1,g2' }), reason: 'CardUuidMismatch' },
    { name: 'uuid deny', gpu: card('g0'), o: opts({ uuidDeny: 'g0' }), reason: 'CardUuidMismatch' },
    // used 10 ≥ split 10 (checked before memory, which is also short)
    { name: 'split exhausted', gpu: card('g0', { usedSlots: 10, usedMemMiB: 10000 }), reason: 'CardTimeSlicingExhausted' },
    { name: 'mutex and in use', gpu: card('g0', { usedSlots: 1 }), o: opts({ gpuPolicy: 'mutex' }), reason: 'ExclusiveDeviceAllocateConflict' },
    // PolicyContains: mutex is a trimmed comma token, so ' mutex , binpack' is mutex and 'nomutex' is not
    { name: 'mutex as a chain token', gpu: card('g0', { usedSlots: 1 }), o: opts({ gpuPolicy: ' mutex , binpack' }), reason: 'ExclusiveDeviceAllocateConflict' },
    { name: 'mutex only as a substring: no mutex', gpu: card('g0', { usedSlots: 1 }), o: opts({ gpuPolicy: 'nomutex' }), reason: null },
    // free 10000 − 9500 = 500 < 1000
    { name: 'memory', gpu: card('g0', { usedSlots: 1, usedMemMiB: 9500 }), reason: 'CardInsufficientMemory' },
    // percentage 100 of 10000 = 10000 > free 9000
    { name: 'memory by percentage', gpu: card('g0', { usedSlots: 1, usedMemMiB: 1000 }), r: req({ memMiB: 0, memPercent: 100 }), reason: 'CardInsufficientMemory' },
    // free cores 100 − 95 = 5 < 10
    { name: 'cores', gpu: card('g0', { usedSlots: 1, usedCores: 95 }), reason: 'CardInsufficientCore' },
    // cores 100 on a 100-core card already in use (no cores booked there)
    { name: 'exclusive', gpu: card('g0', { usedSlots: 1 }), r: req({ cores: 100 }), reason: 'ExclusiveDeviceAllocateConflict' },
    // cores 150 clamps to 100: same conflict, not CardInsufficientCore
    { name: 'cores clamp to 100', gpu: card('g0', { usedSlots: 1 }), r: req({ cores: 150 }), reason: 'ExclusiveDeviceAllocateConflict' },
    // cores 0 on a card whose 100 cores are all used
    { name: 'compute exhausted', gpu: card('g0', { usedSlots: 1, usedCores: 100 }), r: req({ cores: 0 }), reason: 'CardComputeUnitsExhausted' },
    { name: 'fits', gpu: card('g0', { usedSlots: 3, usedCores: 50, usedMemMiB: 5000 }), reason: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = gpuFit([c.gpu], c.r ?? req(), c.o ?? opts());
      if (c.reason === null) {
        expect(r.fits).toBe(true);
        expect(r.status).toBeNull();
        expect(r.allocated).toEqual([{ id: 'g0', index: 0, memMiB: 1000, cores: 10 }]);
      } else {
        expect(r.fits).toBe(false);
        expect(r.message).toBe(`1/1 ${c.reason}`);
        expect(r.status).toEqual({ code: 'Unschedulable', reasons: [c.reason], plugin: 'HAMi' });
      }
    });
  }

  it('scans from the last card, counts every rejection, and adds the partial set on failure', () => {
    // scan g3 (fits), g2 (memory), g1 (cores), g0 (fits) → 2 taken of 3 wanted
    const gpus = [card('g0'), card('g1', { usedCores: 95 }), card('g2', { usedMemMiB: 9999 }), card('g3')];
    const r = gpuFit(gpus, req({ gpuCount: 3 }), opts());
    expect(r.fits).toBe(false);
    expect(r.allocated.map((a) => a.id)).toEqual(['g3', 'g0']);
    expect(r.reasons).toEqual({ CardInsufficientMemory: 1, CardInsufficientCore: 1, AllocatedCardsInsufficientRequest: 2 });
    // sorted entries: "1/4 Card...Core" < "1/4 Card...Memory" < "2/4 Allocated..."
    expect(r.message).toBe('1/4 CardInsufficientCore, 1/4 CardInsufficientMemory, 2/4 AllocatedCardsInsufficientRequest');
    // the status carries the message's words in the message's order (what the scheduler counts per node)
    expect(r.status).toEqual({ code: 'Unschedulable', reasons: ['CardInsufficientCore', 'CardInsufficientMemory', 'AllocatedCardsInsufficientRequest'], plugin: 'HAMi' });
    expect(formatFitReasons({ B: 1, A: 2 }, 3)).toBe('1/3 B, 2/3 A');
  });

  it('stops at the requested number of cards', () => {
    const r = gpuFit([card('g0'), card('g1'), card('g2')], req({ gpuCount: 2 }), opts());
    expect(r.allocated.map((a) => a.id)).toEqual(['g2', 'g1']);
  });

  it('numa-bind: a NUMA change drops the partial set and counts it as NumaNotFit', () => {
    // scan g3 (NUMA 1) taken; g2 (NUMA 0) resets [g3] → NumaNotFit 1; g2, g1 on NUMA 0 complete 2 cards
    const gpus = [card('g0', { numa: 0 }), card('g1', { numa: 0 }), card('g2', { numa: 0 }), card('g3', { numa: 1 })];
    const r = gpuFit(gpus, req({ gpuCount: 2 }), opts({ numaBind: true }));
    expect(r.fits).toBe(true);
    expect(r.allocated.map((a) => a.id)).toEqual(['g2', 'g1']);
    // 3 cards wanted: g3 dropped (1), then g2,g1,g0 → 3 on NUMA 0 → fits; with g1 busy it fails: NumaNotFit 1 + partial 2
    const busy = gpuFit([card('g0', { numa: 0 }), card('g1', { numa: 0, usedSlots: 10 }), card('g2', { numa: 0 }), card('g3', { numa: 1 })], req({ gpuCount: 3 }), opts({ numaBind: true }));
    expect(busy.reasons).toEqual({ NumaNotFit: 1, CardTimeSlicingExhausted: 1, AllocatedCardsInsufficientRequest: 2 });
  });

  it('numa-bind with topology-aware: the dropped set is not counted as NumaNotFit', () => {
    // HAMi's Fit (pkg/device/nvidia/device.go) counts the dropped set only when `k.Nums != originReq`, and under
    // topology-aware k.Nums never counts down. Same cards as above: g3 (NUMA 1) taken, then reset at g2 uncounted;
    // g2, g0 fit on NUMA 0, g1 is full ⇒ 2 < 3 cards: only CardTimeSlicingExhausted 1 + AllocatedCardsInsufficientRequest 2.
    const gpus = [card('g0', { numa: 0 }), card('g1', { numa: 0, usedSlots: 10 }), card('g2', { numa: 0 }), card('g3', { numa: 1 })];
    const r = gpuFit(gpus, req({ gpuCount: 3 }), opts({ numaBind: true, gpuPolicy: 'topology-aware' }));
    expect(r.fits).toBe(false);
    expect(r.reasons).toEqual({ CardTimeSlicingExhausted: 1, AllocatedCardsInsufficientRequest: 2 });
    // the reset still happens: a 1-GPU pod picks among NUMA 0's fitting cards only (g2, g0; no pair scores ⇒ the first)
    const one = gpuFit(gpus, req({ gpuCount: 1 }), opts({ numaBind: true, gpuPolicy: 'topology-aware' }));
    expect(one.allocated.map((a) => a.id)).toEqual(['g2']);
  });

  it('mutex takes only idle cards', () => {
    const r = gpuFit([card('g0'), card('g1', { usedSlots: 1 })], req(), opts({ gpuPolicy: 'mutex' }));
    expect(r.allocated.map((a) => a.id)).toEqual(['g0']);
  });

  it('type and uuid matching', () => {
    expect(gpuTypeMatches('NVIDIA-A100', 'hami-core', 'a10', null)).toBe(true); // 'A10' is a substring of 'A100'
    expect(gpuTypeMatches('NVIDIA-A100', 'hami-core', 'A100', 'NVIDIA')).toBe(false); // deny wins
    expect(gpuTypeMatches('NVIDIA-A100', 'hami-core', '  ', null)).toBe(true); // blank = no constraint
    // CheckType: ' , ' is not blank after TrimSpace, so it is a constraint, and its entries are all empty: no match
    expect(gpuTypeMatches('NVIDIA-A100', 'hami-core', ' , ', null)).toBe(false);
    expect(gpuTypeMatches('NVIDIA-A100', 'hami-core', null, ',')).toBe(true); // an empty deny list denies nothing
    // CheckUUID the same way: ',' allows no card, '' allows every card
    expect(gpuUuidMatches('g0', ',', null)).toBe(false);
    expect(gpuUuidMatches('g0', '', null)).toBe(true);
    expect(gpuTypeMatches('NVIDIA-A100', 'hami-core', null, null, 'mps')).toBe(false);
    expect(gpuUuidMatches('g1', 'g0,g1', 'g1')).toBe(false); // both apply
  });
});

describe('node-level fit (fitInDevices)', () => {
  it('rejects an unknown device type and too few cards of the type', () => {
    const gpus = [card('g0'), card('g1', { type: 'AMD-MI300X' })];
    expect(fitContainer(scoredCopy(gpus), [req({ gpuType: 'AMD' })], { listPolicy: 'spread', numaBindSort: false, pod: opts(), weights: { slot: 1, core: 1, memory: 1 }, terms: 'off' })).toEqual({ fits: false, reason: 'Device type not found', status: { code: 'Unschedulable', reasons: ['Device type not found'], plugin: 'HAMi' } });
    // 2 NVIDIA cards wanted, only g0 registers as NVIDIA
    expect(fitContainer(scoredCopy(gpus), [req({ gpuCount: 2 })], { listPolicy: 'spread', numaBindSort: false, pod: opts(), weights: { slot: 1, core: 1, memory: 1 }, terms: 'off' })).toEqual({ fits: false, reason: 'NodeInsufficientDevice', status: { code: 'Unschedulable', reasons: ['NodeInsufficientDevice'], plugin: 'HAMi' } });
  });
});

describe('topology-aware', () => {
  it('link pair scores', () => {
    // PCIE_SAME_CPU 20 + NVLINK_4 400 = 420
    expect(linkPairScore(['PCIE_SAME_CPU', 'NVLINK_4'], ['NVLINK_4', 'PCIE_SAME_CPU'])).toEqual({ score: 420, asymmetric: false });
    expect(linkPairScore(['NVLINK_2'], [])).toEqual({ score: 0, asymmetric: true });
  });

  it('maps our topologies to link entries', () => {
    const g = (index: number, numa: number) => ({ index, numa });
    // NVSwitch: NVML reports the PCIe level and the switch NVLink for every pair (calculate_score.go build, links.go)
    expect(linkEntries('nvswitch', g(0, 0), g(7, 1))).toEqual(['PCIE_CROSS_CPU', 'NVLINK_1']);
    expect(linkEntries('nvswitch', g(2, 0), g(3, 0))).toEqual(['PCIE_SINGLE_SWITCH', 'NVLINK_1']);
    expect(linkEntries('nvswitch', g(1, 0), g(2, 0))).toEqual(['PCIE_HOST_BRIDGE', 'NVLINK_1']);
    expect(linkEntries('nvlink-pairs', g(2, 0), g(3, 0))).toEqual(['NVLINK_1']);
    expect(linkEntries('nvlink-pairs', g(1, 0), g(2, 0))).toEqual(['PCIE_HOST_BRIDGE']);
    expect(linkEntries('pcie', g(4, 1), g(5, 1))).toEqual(['PCIE_SINGLE_SWITCH']);
    expect(linkEntries('pcie', g(3, 0), g(4, 1))).toEqual(['PCIE_CROSS_CPU']);
  });

  it('a 2-GPU pod on an nvlink-pairs node takes an NVLink pair', () => {
    // 4 idle cards, NUMA 0; scan g3,g2,g1,g0; combinations in that order: (g3,g2)=100 first and best
    const gpus = [0, 1, 2, 3].map((i) => card(`g${i}`, { index: i }));
    const pairs = topologyPairScores('nvlink-pairs', gpus);
    const r = gpuFit(gpus, req({ gpuCount: 2 }), opts({ gpuPolicy: 'topology-aware' }), pairs);
    expect(r.allocated.map((a) => a.id)).toEqual(['g3', 'g2']);
    // g3 busy: candidates g2,g1,g0: (g2,g1)=30, (g2,g0)=30, (g1,g0)=100 ⇒ g1,g0
    gpus[3].usedSlots = 10;
    const r2 = gpuFit(gpus, req({ gpuCount: 2 }), opts({ gpuPolicy: 'topology-aware' }), pairs);
    expect(r2.allocated.map((a) => a.id)).toEqual(['g1', 'g0']);
  });

  it('a 1-GPU pod takes the worst-connected card, keeping pairs whole', () => {
    // g1 is used (its partner g0 is now alone): candidates g3,g2,g1,g0; totals: g3 = 100+30+30 = 160, g2 = 160,
    // g1 = 30+30+100 = 160, g0 = 160 — all tie, first (g3) wins. With g1 full, candidates g3,g2,g0:
    // g3 = 100+30 = 130, g2 = 130, g0 = 30+30 = 60 ⇒ g0, the card whose partner is taken.
    const gpus = [0, 1, 2, 3].map((i) => card(`g${i}`, { index: i }));
    const pairs = topologyPairScores('nvlink-pairs', gpus);
    expect(gpuFit(gpus, req(), opts({ gpuPolicy: 'topology-aware' }), pairs).allocated[0].id).toBe('g3');
    gpus[1].usedSlots = 10;
    expect(gpuFit(gpus, req(), opts({ gpuPolicy: 'topology-aware' }), pairs).allocated[0].id).toBe('g0');
  });

  it('helpers: combinations in scan order, worst single, best combination', () => {
    expect(combinations(4, 2)).toEqual([[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]);
    expect([1, 2, 3, 4].map((k) => combinations(4, k).length)).toEqual([4, 6, 4, 1]);
    const s = { a: { b: 1, c: 5 }, b: { a: 1, c: 1 }, c: { a: 5, b: 1 } };
    // totals a 6, b 2, c 6 ⇒ b
    expect(worstSingle(['a', 'b', 'c'], s)).toBe(1);
    // (a,b)=1, (a,c)=5, (b,c)=1 ⇒ (a,c)
    expect(bestCombination([['a', 'b'], ['a', 'c'], ['b', 'c']], s)).toBe(1);
  });
});
