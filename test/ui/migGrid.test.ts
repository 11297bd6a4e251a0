/** The cluster view's MIG slice grid (src/ui/lib/migGrid.ts): columns, booked instances at their placement, idle static instances. */
import { describe, expect, it } from 'vitest';
import { decodeMig, migGrid, migProfileName } from '../../src/ui/lib/migGrid.ts';
import type { NodePoolSpec } from '../../src/scenario/types.ts';

const pool: NodePoolSpec = { name: 'a', count: 1, gpuModel: 'A100-40G', gpusPerNode: 1, cpuMilli: 1000, memMiB: 1024, topology: 'pcie', numaNodes: 1, mig: 'all-balanced' };
const nodes = [{ pool: 'a', gpuModel: 'A100-40G', gpus: 1, gpuOffset: 0 }];
const cells = [{ x: 0, y: 0, w: 80, h: 24 }];
// the session's packing: 0x8000 | g << 8 | size << 4 | start
const code = (g: number, size: number, start: number) => 0x8000 | (g << 8) | (size << 4) | start;

describe('migGrid', () => {
  it('decodes the frame packing and names profiles by compute and memory slices', () => {
    expect(decodeMig(code(3, 4, 4))).toEqual({ start: 4, size: 4, g: 3 });
    expect(decodeMig(0)).toBeNull();
    expect(migProfileName('A100-40G', 1, 2)).toBe('1g.10gb');
    expect(migProfileName('A100-40G', 1, 1)).toBe('1g.5gb');
  });

  it('draws 8 memory-slice columns, a booked 3g at slices 4–7, and the static layout\'s idle instances as outlines', () => {
    const g = migGrid(cells, nodes, [pool], 'k8s-mig', [0], [code(3, 4, 4)]);
    expect(g.lines).toHaveLength(7);
    const booked = g.instances.filter((i) => i.tenant >= 0);
    expect(booked).toEqual([{ x: 40, y: 0, w: 39.5, h: 20, gpu: 0, profile: '3g.20gb', tenant: 0 }]);
    // all-balanced: 3g, 2g and two 1g; the 3g is held, the other three are idle
    expect(g.instances.filter((i) => i.tenant < 0).map((i) => i.profile).sort()).toEqual(['1g.5gb', '1g.5gb', '2g.10gb']);
  });

  it('hami-mig draws only the instances that exist; other profiles draw no grid', () => {
    expect(migGrid(cells, nodes, [pool], 'hami-mig', [0], [code(1, 1, 6)]).instances.map((i) => i.profile)).toEqual(['1g.5gb']);
    expect(migGrid(cells, nodes, [pool], 'hami-binpack', [0], undefined).gpus.size).toBe(0);
    expect(migGrid(cells, nodes, [{ ...pool, mig: undefined }], 'k8s-mig', [], undefined).gpus.size).toBe(0);
  });
});
