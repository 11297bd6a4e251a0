// @vitest-environment node
/**
 * ShapeCachedScheduler's lazily skipped rejections (src/sched/frag/shapeCachedScheduler.ts): a node a shape's
 * monotone filters rejected and that only gained pods since is not re-filtered. By default a pod nothing fits
 * still gets the plain runner's exact rejection counts; with `exactRejections = false` (the openb replay) the
 * skipped node counts under its older reasons, and the decision is the same.
 */
import { describe, expect, it } from 'vitest';
import type { ScorePlugin } from '../../../src/sched/framework.ts';
import { prioritySort } from '../../../src/sched/framework.ts';
import { ShapeCachedScheduler } from '../../../src/sched/frag/shapeCachedScheduler.ts';
import { nodeResourcesFitFilter } from '../../../src/sched/plugins/nodeResourcesFit.ts';
import { wholeGpuAllocator } from '../../../src/sched/plugins/wholeGpuAllocator.ts';
import { FrameworkScheduler, type Attempt, type FrameworkConfig } from '../../../src/sched/runner.ts';
import { cluster, ctx, node, pod } from '../../builders/index.ts';

const flat: ScorePlugin = { name: 'Flat', score: () => 10 };

function config(): FrameworkConfig {
  return {
    name: 'lazy-test',
    queueSort: prioritySort,
    filters: [nodeResourcesFitFilter(1)],
    scores: [{ plugin: flat, weight: 1 }],
    allocator: wholeGpuAllocator,
    // node-1 wins ties: the memory-hungry pod lands there.
    tieBreak: { kind: 'rank', rank: Int32Array.from([1, 0]) },
    percentageOfNodesToScore: 100,
  };
}

/**
 * node-0: 4000 m, 8192 MiB; node-1: 1000 m, 8192 MiB. S = 2000 m / 1024 MiB lands on node-0 twice (node-1 too
 * small in cpu); T = 100 m / 8000 MiB lands on node-1 between them, so S's table skips node-1 (one bind since it
 * was rejected). The fourth pod, S again, fits nowhere: node-0 is full in cpu (4000 + 2000 > 4000), node-1 in cpu
 * (100 + 2000 > 1000) and now memory too (8000 + 1024 > 8192).
 */
function lastAttempt(exact: boolean | null): Attempt {
  const c = cluster(node().cpu(4000).mem(8192), node().cpu(1000).mem(8192));
  const x = ctx(c);
  const s = exact === null ? new FrameworkScheduler(config()) : new ShapeCachedScheduler(config(), 'argmax', true);
  if (s instanceof ShapeCachedScheduler && exact === false) s.exactRejections = false;
  const shapeS = pod().cpu(2000).mem(1024);
  for (const p of [shapeS.build(), pod().cpu(100).mem(8000).build(), shapeS.build()]) expect(s.cycle([p], x).bound).toEqual([p]);
  expect(c.podsOnNode.map((ps) => ps.length)).toEqual([2, 1]);
  return s.attempt(shapeS.build(), x);
}

describe('ShapeCachedScheduler rejection counts for a pod nothing fits', () => {
  it('are the plain runner\'s by default (the skipped node is re-filtered)', () => {
    const plain = lastAttempt(null);
    expect(plain.rejected).toEqual({ 'Insufficient cpu': 2, 'Insufficient memory': 1 });
    expect(lastAttempt(true)).toEqual(plain);
  });

  it('with exactRejections off keep the skipped node\'s older reasons, and decide the same', () => {
    const lazy = lastAttempt(false);
    expect(lazy.nodeIndex).toBe(-1);
    expect(lazy.rejected).toEqual({ 'Insufficient cpu': 2 });
  });
});
