/**
 * Practical limits (issue 19 item 6): a scenario above its profiles' limits is named with them, and the app asks
 * once before running it; declined, nothing runs.
 */
import { describe, expect, it } from 'vitest';
import type * as Comlink from 'comlink';
import { createRoot } from 'solid-js';
import { PRACTICAL_LIMIT_NODES, scaleWarning } from '../../src/scenario/scaleLimits.ts';
import { createLongRuns } from '../../src/ui/stores/longRun.ts';
import { listProfiles } from '../../src/sched/profiles/index.ts';
import type { WorkbenchApi } from '../../src/worker/protocol.ts';

const cluster = (nodes: number) => ({ pools: [{ name: 'p', count: nodes, gpuModel: 'H100', gpusPerNode: 8, cpuMilli: 192000, memMiB: 2 ** 21, topology: 'nvswitch' as const, numaNodes: 2 }] });

describe('scaleWarning', () => {
  it('every registered profile has a measured limit', () => {
    expect(Object.keys(PRACTICAL_LIMIT_NODES).sort()).toEqual(listProfiles().map((p) => p.name).sort());
  });

  it('is null within every limit, and names the profiles over theirs', () => {
    expect(scaleWarning({ cluster: cluster(1500), schedulers: [{ profile: 'volcano' }, { profile: 'k8s-default' }] })).toBeNull();
    const q = scaleWarning({ cluster: cluster(13_000), schedulers: [{ profile: 'k8s-default' }, { profile: 'hami-binpack' }, { profile: 'hami-binpack' }] });
    // 13,000 > hami-binpack's 12,000, ≤ k8s-default's 16,000.
    expect(q).toBe('This cluster has 13,000 nodes, more than hami-binpack (about 12,000 nodes a minute) simulates in about a minute on a 2-core machine: the run may take several minutes (you can cancel it). Run it?');
  });
});

describe('createLongRuns asks before a run above the limits', () => {
  function setup(answers: boolean[]) {
    const calls: number[] = [];
    const asked: string[] = [];
    const api = { runTo: async (tS: number) => (calls.push(tS), { frame: { tS } }), cancel: async () => {} } as unknown as Comlink.Remote<WorkbenchApi>;
    const runs = createRoot(() => createLongRuns(api, () => 'Run it?', (q) => (asked.push(q), answers.shift() ?? false)));
    return { runs, calls, asked };
  }

  it('declined: nothing runs and run() answers null; asked again next time', async () => {
    const { runs, calls, asked } = setup([false, false]);
    expect(await runs.run(3600)).toBeNull();
    expect(await runs.run(3600)).toBeNull();
    expect(calls).toEqual([]);
    expect(asked).toEqual(['Run it?', 'Run it?']);
  });

  it('accepted once: runs, and the same question is not asked again', async () => {
    const { runs, calls, asked } = setup([true]);
    expect(await runs.run(3600)).toEqual({ tS: 3600 });
    expect(await runs.run(7200)).toEqual({ tS: 7200 });
    expect(calls).toEqual([3600, 7200]);
    expect(asked).toEqual(['Run it?']);
  });
});
