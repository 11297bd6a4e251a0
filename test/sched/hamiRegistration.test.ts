// @vitest-environment node
/**
 * HAMi meets a node's cards in the order the device plugin registered them (src/sched/hami/registration.ts):
 * a Go range over the plugin's device map, re-run every 30 s. Expected values follow the upstream rules:
 * - Go 1.26 src/internal/runtime/maps/table.go Iter.Next: a map of ≤ 8 entries is one group of 8 slots filled in
 *   insertion order (here NVML index order, HAMi pkg/device-plugin/nvidiadevice/nvinternal/rm/device_map.go),
 *   ranged from slot `entryOffset` (uniform in 0..7), wrapping, empty slots skipped;
 * - HAMi v2.10.0 pkg/device-plugin/nvidiadevice/nvinternal/plugin/register.go WatchAndRegister: a pass every 30 s;
 * - pkg/scheduler/score.go fitInDevices: sort.Sort (an insertion sort, stable, for ≤ 12 cards), and
 *   pkg/device/nvidia/device.go Fit scans from the end: among equal cards the one registered last is taken first.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterState } from '../../src/model/cluster.ts';
import { registrationEpoch, registrationOrder, REGISTER_INTERVAL_S, rotationFromSlot } from '../../src/sched/hami/registration.ts';
import type { HamiScheduler } from '../../src/sched/hami/scheduler.ts';
import { hamiBinpack, hamiSpread, type HamiOptions } from '../../src/sched/profiles/hami.ts';
import type { ProfileDefinition, ProfileEnv } from '../../src/sched/profiles/types.ts';
import { Rng } from '../../src/core/rng.ts';
import { cluster, node, pod } from '../builders/index.ts';

function make(def: ProfileDefinition<HamiOptions>): HamiScheduler {
  return def.create(def.defaults, {} as ProfileEnv) as HamiScheduler;
}

describe("Go's small-map range (one group of 8 slots, random start slot, wrapping)", () => {
  it.each([
    [8, 0, [0, 1, 2, 3, 4, 5, 6, 7]],
    [8, 3, [3, 4, 5, 6, 7, 0, 1, 2]],
    [8, 7, [7, 0, 1, 2, 3, 4, 5, 6]],
    // 4 cards fill slots 0..3: a start in 2 gives 2,3 then wraps past the empty slots 4..7 to 0,1
    [4, 2, [2, 3, 0, 1]],
    // a start on an empty slot (4..7) wraps to card 0: index order
    [4, 6, [0, 1, 2, 3]],
    [1, 5, [0]],
  ])('%i cards from slot %i', (count, start, want) => {
    expect(rotationFromSlot(count, start)).toEqual(want);
  });

  it('a 4-card node starts at card 0 with probability 5/8 and at each other card 1/8', () => {
    const starts = [0, 0, 0, 0];
    const draws = 8000;
    for (let epoch = 0; epoch < draws; epoch++) starts[registrationOrder(4, 42, 'n0', epoch)[0]]++;
    expect(starts[0] / draws).toBeCloseTo(5 / 8, 1);
    for (const k of [1, 2, 3]) expect(starts[k] / draws).toBeCloseTo(1 / 8, 1);
  });

  it('above 8 cards (a hashed table) every card position appears once', () => {
    const order = registrationOrder(16, 42, 'big', 3);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(order).not.toEqual(Array.from({ length: 16 }, (_, i) => i));
  });
});

describe('register passes', () => {
  it('one order per (seed, node, pass); the pass advances every 30 s at a per-node phase', () => {
    expect(registrationOrder(8, 7, 'a', 5)).toEqual(registrationOrder(8, 7, 'a', 5));
    const e = registrationEpoch(7, 'a', 1000);
    expect(registrationEpoch(7, 'a', 1000 + REGISTER_INTERVAL_S)).toBe(e + 1);
    // the pass changes once inside any 30 s window
    const inWindow = new Set(Array.from({ length: 31 }, (_, s) => registrationEpoch(7, 'a', 1000 + s)));
    expect(inWindow.size).toBe(2);
    // nodes re-register at different phases
    const phases = new Set(['a', 'b', 'c', 'd', 'e'].map((n) => registrationEpoch(7, n, 15)));
    expect(phases.size).toBe(2);
  });
});

describe('equal cards are met in registration order (the last registered first)', () => {
  /** An idle 8-GPU node: every card scores the same under every GPU policy. */
  function idle(): ClusterState {
    return cluster(node().named('n0').gpus(8, 'A100-80G'));
  }
  for (const def of [hamiSpread, hamiBinpack]) {
    it(`${def.name}: a 1-card pod takes the card registered last, a 2-card pod the last two (last first)`, () => {
      const taken = new Set<number>();
      for (let seed = 1; seed <= 40; seed++) {
        for (const nowS of [0, 45]) {
          const rng = new Rng(seed);
          const c = idle();
          const order = registrationOrder(8, rng.seed, 'n0', registrationEpoch(rng.seed, 'n0', nowS));
          const one = pod().gpus(1).gpuMem(1024).gpuCores(10).build();
          make(def).cycle([one], { cluster: c, rng, nowS });
          expect(one.binding!.gpus.map((g) => g.gpu)).toEqual([order[7]]);
          taken.add(order[7]);
          const c2 = idle();
          const two = pod().gpus(2).gpuMem(1024).gpuCores(10).build();
          make(def).cycle([two], { cluster: c2, rng: new Rng(seed), nowS });
          expect(two.binding!.gpus.map((g) => g.gpu)).toEqual([order[7], order[6]]);
        }
      }
      // not index order: the highest index is no longer always the first card taken
      expect(taken.size).toBe(8);
    });
  }

  it("a node's cached outcome from an earlier register pass gets the cards of the pass in force", () => {
    const c = idle();
    const s = make(hamiSpread);
    const rng = new Rng(3);
    const lastAt = (nowS: number) => registrationOrder(8, rng.seed, 'n0', registrationEpoch(rng.seed, 'n0', nowS))[7];
    let later = REGISTER_INTERVAL_S;
    while (lastAt(later) === lastAt(0)) later += REGISTER_INTERVAL_S;
    const shape = () => pod().gpus(1).gpuMem(1024).gpuCores(10).build();
    // attempt binds nothing: the second attempt finds the node unchanged and its outcome cached
    expect(s.attempt(shape(), { cluster: c, rng, nowS: 0 }).gpus.map((g) => g.gpu)).toEqual([lastAt(0)]);
    expect(s.attempt(shape(), { cluster: c, rng, nowS: later }).gpus.map((g) => g.gpu)).toEqual([lastAt(later)]);
  });

  it('a busier card still ranks by score: spread takes the emptier cards whatever the order', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const c = cluster(node().named('n0').gpus(2, 'A100-80G'));
      // card 1 holds a slice, so card 0 (idle) scores lower under spread and is met last, i.e. first
      c.bind(pod().gpus(1).gpuMem(4096).gpuCores(20).build(), { nodeId: 0, gpus: [{ gpu: 1, milli: 0, memMiB: 4096, cores: 20, slots: 1 }] });
      const p = pod().gpus(1).gpuMem(1024).gpuCores(10).build();
      make(hamiSpread).cycle([p], { cluster: c, rng: new Rng(seed), nowS: 0 });
      expect(p.binding!.gpus.map((g) => g.gpu)).toEqual([0]);
    }
  });
});
