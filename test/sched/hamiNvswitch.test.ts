// @vitest-environment node
/**
 * HAMi's topology-aware choice on an NVSwitch node, end to end through the hami-topology profile (issue 13). The
 * device plugin scores every pair from NVML's link data: the PCIe-level entry plus the switch NVLink entry
 * (HAMi v2.10.0 pkg/device/nvidia/calculate_score.go build: GetP2PLink, then GetNVLink), weighed by
 * calculate_score.go's table (PCIE_SINGLE_SWITCH 50, PCIE_HOST_BRIDGE 30, PCIE_CROSS_CPU 10, NVLINK_n 100·n). The
 * NVLink entry is the same for every pair of the node, so the PCIe level decides: a same-switch pair for 2 cards,
 * one socket for 4, whatever order the device plugin registered the cards in (hami/registration.ts).
 * Our PCIe layout (hami/topology.ts linkEntries): cards 2k and 2k+1 share a switch; 8 cards on 2 NUMA nodes are
 * 0–3 and 4–7.
 */
import { describe, expect, it } from 'vitest';
import type { HamiScheduler } from '../../src/sched/hami/scheduler.ts';
import { hamiTopology } from '../../src/sched/profiles/hami.ts';
import type { ProfileEnv } from '../../src/sched/profiles/types.ts';
import { cluster, ctx, node, pod } from '../builders/index.ts';

function chosen(gpuCount: number, seed: number, fullCard?: number): number[] {
  const s = hamiTopology.create(hamiTopology.defaults, {} as ProfileEnv) as HamiScheduler;
  const c = cluster(node().cpu(64000).mem(512 * 1024).gpus(8, 'H100').topology('nvswitch', 2));
  if (fullCard !== undefined) {
    // a running pod holding the whole card (all its memory and cores), so no slice fits there
    const memMiB = c.nodes[0].gpus[fullCard].memMiB;
    c.bind(pod().gpus(1).gpuMem(memMiB).gpuCores(100).build(), { nodeId: 0, gpus: [{ gpu: fullCard, milli: 1000, memMiB, cores: 100, slots: 1 }] });
  }
  const p = pod().gpus(gpuCount).gpuMem(1024).gpuCores(10).build();
  s.cycle([p], ctx(c, seed));
  expect(p.binding).not.toBeNull();
  return p.binding!.gpus.map((g) => g.gpu).sort((a, b) => a - b);
}

describe('hami-topology on an NVSwitch node (calculate_score.go: PCIe entry + switch NVLink per pair)', () => {
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];

  it('a 2-card pod gets a same-PCIe-switch pair (50 + 100 beats 30 + 100 and 10 + 100), for every registration order', () => {
    for (const seed of seeds) {
      const [a, b] = chosen(2, seed);
      expect(b, `seed ${seed}: ${a}, ${b}`).toBe(a + 1);
      expect(a % 2, `seed ${seed}: ${a}, ${b}`).toBe(0);
    }
  });

  it('a 4-card pod stays on one socket: with card 6 taken, socket 0 whole (2·150 + 4·130 = 820) rather than 4, 5, 7 + one card of socket 0 (740)', () => {
    // socket 1 keeps 4, 5, 7: pairs (4,5) 150, (4,7) 130, (5,7) 130, and three cross-CPU pairs of 110 with the
    // fourth card, 740 in all; socket 0 whole is 820.
    for (const seed of seeds) expect(chosen(4, seed, 6), `seed ${seed}`).toEqual([0, 1, 2, 3]);
  });
});
