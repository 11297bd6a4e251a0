// @vitest-environment node
/**
 * The scheduler Status (src/sched/status.ts): its constructors and predicates as a table, the statuses the filter
 * plugins and allocators return, and the runner's score-range check (kube's runScorePlugins: a normalized score
 * outside [0, 100] is an Error status naming the plugin) on every path that totals scores: the cached fused
 * loop, the plain loop, the normalize path, explain and the FGD shape cache.
 */
import { describe, expect, it } from 'vitest';
import type { NodeState } from '../../src/model/cluster.ts';
import { prioritySort, type ScorePlugin } from '../../src/sched/framework.ts';
import { ShapeCachedScheduler } from '../../src/sched/frag/shapeCachedScheduler.ts';
import { gpuModelAffinity, NODE_AFFINITY_REASON } from '../../src/sched/plugins/nodeAffinity.ts';
import { nodeResourcesFitFilter } from '../../src/sched/plugins/nodeResourcesFit.ts';
import { wholeGpuAllocator } from '../../src/sched/plugins/wholeGpuAllocator.ts';
import { formatStatus } from '../../src/sched/reasons.ts';
import { FrameworkScheduler, type FrameworkConfig } from '../../src/sched/runner.ts';
import {
  checkNodeScore,
  countReasons,
  errorStatus,
  isRejected,
  isStatus,
  isSuccess,
  statusMessage,
  unresolvable,
  unschedulable,
  type Status,
} from '../../src/sched/status.ts';
import { cluster, ctx, node, pod } from '../builders/index.ts';

describe('Status', () => {
  const cases: { name: string; s: Status | null; success: boolean; rejected: boolean; message: string }[] = [
    { name: 'nil is Success', s: null, success: true, rejected: false, message: '' },
    { name: 'Success', s: { code: 'Success', reasons: [], plugin: 'P' }, success: true, rejected: false, message: '' },
    { name: 'Unschedulable', s: unschedulable('NodeResourcesFit', 'Insufficient cpu', 'Insufficient memory'), success: false, rejected: true, message: 'Insufficient cpu, Insufficient memory' },
    { name: 'UnschedulableAndUnresolvable', s: unresolvable('NodeAffinity', NODE_AFFINITY_REASON), success: false, rejected: true, message: NODE_AFFINITY_REASON },
    { name: 'Error', s: errorStatus('Broken', 'it broke'), success: false, rejected: false, message: 'it broke' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(isSuccess(c.s)).toBe(c.success);
      expect(isRejected(c.s)).toBe(c.rejected);
      expect(statusMessage(c.s)).toBe(c.message);
      expect(isStatus(c.s)).toBe(c.s !== null);
    });
  }

  it('constructors carry code, reasons and plugin', () => {
    expect(unschedulable('A', 'x')).toEqual({ code: 'Unschedulable', reasons: ['x'], plugin: 'A' });
    expect(unresolvable('B', 'y', 'z')).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['y', 'z'], plugin: 'B' });
    expect(errorStatus('C', 'boom')).toEqual({ code: 'Error', reasons: ['boom'], plugin: 'C' });
  });

  it('isStatus tells a status from bookings', () => {
    expect(isStatus([])).toBe(false);
    expect(isStatus([{ gpu: 0, milli: 1000, memMiB: 1, cores: 100, slots: 1 }])).toBe(false);
    expect(isStatus(unschedulable('A', 'x'))).toBe(true);
    expect(isStatus(undefined)).toBe(false);
  });

  it('countReasons counts each reason once per status, in reason order', () => {
    const rejected: Record<string, number> = {};
    countReasons(rejected, unschedulable('A', 'b', 'a'));
    countReasons(rejected, unschedulable('A', 'a'));
    expect(rejected).toEqual({ b: 1, a: 2 });
    expect(Object.keys(rejected)).toEqual(['b', 'a']);
  });

  const scores: { score: number; ok: boolean }[] = [
    { score: 0, ok: true },
    { score: 100, ok: true },
    { score: 37.5, ok: true },
    { score: -1, ok: false },
    { score: 101, ok: false },
    { score: Number.NaN, ok: false },
    { score: Number.POSITIVE_INFINITY, ok: false },
  ];
  for (const c of scores) {
    it(`checkNodeScore(${c.score}) is ${c.ok ? 'in range' : 'an Error'}`, () => {
      const s = checkNodeScore('P', 'node-0', c.score);
      if (c.ok) expect(s).toBeNull();
      else {
        expect(s?.code).toBe('Error');
        expect(s?.plugin).toBe('P');
        expect(statusMessage(s)).toContain('node-0');
      }
    });
  }
});

describe('filter plugins and allocators return a Status', () => {
  const c = cluster(node().cpu(1000).mem(1024).gpus(1, 'A100-80G'));
  const n = c.nodes[0];
  it('NodeResourcesFit: Unschedulable with every failing resource', () => {
    expect(nodeResourcesFitFilter(1).filter(pod().cpu(2000).mem(2048).build(), n, ctx(c))).toEqual(unschedulable('NodeResourcesFit', 'Insufficient cpu', 'Insufficient memory'));
    expect(nodeResourcesFitFilter(1).filter(pod().cpu(500).build(), n, ctx(c))).toBeNull();
  });
  it('NodeAffinity: UnschedulableAndUnresolvable', () => {
    expect(gpuModelAffinity.filter(pod().gpus(1).models('H100-80G').build(), n, ctx(c))).toEqual(unresolvable('NodeAffinity', NODE_AFFINITY_REASON));
  });
  it('the whole-GPU allocator: bookings, or Unschedulable', () => {
    expect(isStatus(wholeGpuAllocator.allocate(pod().gpus(1).build(), n, ctx(c)))).toBe(false);
    expect(wholeGpuAllocator.allocate(pod().gpus(2).build(), n, ctx(c))).toEqual(unschedulable('nvidia-device-plugin', 'Insufficient nvidia.com/gpu'));
  });
});

/** A deliberately broken score plugin: `bad` on node-1, 50 elsewhere (or a normalize that writes `bad` there). */
function broken(bad: number, viaNormalize: boolean): ScorePlugin {
  return {
    name: 'BrokenScore',
    score: (_pod, n: NodeState) => (!viaNormalize && n.id === 1 ? bad : 50),
    normalize: viaNormalize
      ? (scores, _pod, nodes) => {
          nodes.forEach((n, i) => (scores[i] = n.id === 1 ? bad : scores[i]));
        }
      : undefined,
  };
}

const fine: ScorePlugin = { name: 'Fine', score: () => 10 };

function config(plugin: ScorePlugin, o: Partial<FrameworkConfig> = {}): FrameworkConfig {
  return {
    name: 'broken-test',
    queueSort: prioritySort,
    filters: [nodeResourcesFitFilter(1)],
    scores: [{ plugin: fine, weight: 1 }, { plugin, weight: 2 }],
    allocator: wholeGpuAllocator,
    tieBreak: { kind: 'first' },
    percentageOfNodesToScore: 100,
    ...o,
  };
}

describe('the runner checks score ranges after normalize', () => {
  const paths: { name: string; make: (p: ScorePlugin) => FrameworkScheduler; normalize: boolean }[] = [
    { name: 'cached fused loop (no normalize)', make: (p) => new FrameworkScheduler(config(p, { cacheByNodeVersion: true })), normalize: false },
    { name: 'plain loop (no normalize)', make: (p) => new FrameworkScheduler(config(p)), normalize: false },
    { name: 'normalize path', make: (p) => new FrameworkScheduler(config(p)), normalize: true },
    { name: 'normalize path with a cache', make: (p) => new FrameworkScheduler(config(p, { cacheByNodeVersion: true })), normalize: true },
    { name: 'FGD shape cache (no normalize)', make: (p) => new ShapeCachedScheduler(config(p, { tieBreak: { kind: 'rank', rank: Int32Array.from([0, 1, 2]) } })), normalize: false },
    { name: 'FGD shape cache (normalize)', make: (p) => new ShapeCachedScheduler(config(p, { tieBreak: { kind: 'rank', rank: Int32Array.from([0, 1, 2]) } })), normalize: true },
    // The argmax shortcut (one plugin) falls back to the plain pass when a feasible score is out of range or not an integer.
    { name: 'FGD shape cache, argmax shortcut', make: (p) => new ShapeCachedScheduler(config(p, { tieBreak: { kind: 'rank', rank: Int32Array.from([0, 1, 2]) }, scores: [{ plugin: p, weight: 2 }] }), 'argmax'), normalize: false },
  ];
  const three = () => cluster(node().cpu(4000), node().cpu(4000), node().cpu(4000));
  for (const path of paths) {
    for (const bad of [101, -5, Number.NaN]) {
      it(`${path.name}: score ${bad} is an Error status naming the plugin`, () => {
        const s = path.make(broken(bad, path.normalize));
        const c = three();
        const p = pod().cpu(100).build();
        const a = s.attempt(p, ctx(c));
        expect(a.nodeIndex).toBe(-1);
        expect(a.error?.code).toBe('Error');
        expect(a.error?.plugin).toBe('BrokenScore');
        expect(statusMessage(a.error)).toContain('node-1');
        // the cycle records the error as the pod's FailedScheduling message, and binds nothing
        const r = s.cycle([p], ctx(c));
        expect(r.bound).toEqual([]);
        expect(p.lastReason).toBe(formatStatus(a.error!));
      });
    }
    it(`${path.name}: in-range scores place the pod`, () => {
      const s = path.make(broken(100, path.normalize));
      const a = s.attempt(pod().cpu(100).build(), ctx(three()));
      expect(a.error).toBeUndefined();
      expect(a.nodeIndex).toBe(1);
    });
  }

  it('a lone feasible node is not scored, so its bad score goes unseen (as in kube)', () => {
    const s = new FrameworkScheduler(config(broken(1000, false), { cacheByNodeVersion: true }));
    const c = cluster(node().cpu(100), node().cpu(4000), node().cpu(100));
    const a = s.attempt(pod().cpu(1000).build(), ctx(c));
    expect(a.error).toBeUndefined();
    expect(a.nodeIndex).toBe(1);
  });

  it('a plugin that declares unbounded scores keeps its number (the FGD baselines beyond the artifact\'s node specs)', () => {
    for (const make of [(p: ScorePlugin) => new FrameworkScheduler(config(p, { cacheByNodeVersion: true })), (p: ScorePlugin) => new FrameworkScheduler(config(p))]) {
      const s = make({ ...broken(-50, false), unboundedScore: 'test' });
      const a = s.attempt(pod().cpu(100).build(), ctx(three()));
      expect(a.error).toBeUndefined();
      expect(a.nodeIndex).toBe(0);
    }
  });

  it('explain renders the Error status as the message', () => {
    const s = new FrameworkScheduler(config(broken(101, false)));
    const e = s.explain(pod().cpu(100).build(), ctx(three()));
    expect(e.node).toBeNull();
    expect(e.feasibleNodes).toBe(3);
    expect(e.message).toBe(formatStatus(checkNodeScore('BrokenScore', 'node-1', 101)!));
  });
});
