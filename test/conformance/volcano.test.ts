// @vitest-environment node
/**
 * Volcano v1.15 vectors (../shared/conformance/volcano.json) through our binpack plugin and real scheduling
 * sessions: one test per case; any failing supported case fails the suite. Every function is supported.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CaseOutcome, ConformanceCase } from '../../src/conformance/types.ts';
import { volcanoAdapter } from '../../src/conformance/volcano.ts';

const FILE = fileURLToPath(new URL('../../../shared/conformance/volcano.json', import.meta.url));
const CASES = JSON.parse(readFileSync(FILE, 'utf8')) as ConformanceCase[];
const ALLOWED_UNSUPPORTED = new Set<string>();

describe('volcano.json', () => {
  it('holds the 18 vectors the README lists', () => {
    expect(CASES).toHaveLength(18);
  });

  for (const c of CASES) {
    it(`${c.id}: ${c.description ?? ''}`, () => {
      const fn = String(c.input.function);
      if (!volcanoAdapter.supports(c)) {
        expect(ALLOWED_UNSUPPORTED.has(fn)).toBe(true);
        expect(volcanoAdapter.run(c).status).toBe('unsupported');
        return;
      }
      const o = volcanoAdapter.run(c);
      expect(o.detail).toBe('');
      expect(o.status).toBe('pass');
    });
  }
});

describe('the adapter can fail', () => {
  const byId = (id: string): ConformanceCase => structuredClone(CASES.find((c) => c.id === id)!);

  it('gang releasing: the two upstream cases the file leaves out', () => {
    // plugins/gang/gang_test.go TestShouldSkipUnschedulableForReleasing (release-1.15): "pending replacement still
    // needs condition" (a Pending task keeps the Unschedulable mark) and "never scheduled releasing task is not
    // counted" (a Releasing task without a node does not count, so there is nothing to skip for).
    const c = byId('gang-skip-unschedulable-for-releasing-1');
    c.input.tasks = [{ status: 'Running', node: 'node-1' }, { status: 'Releasing', node: 'node-2' }, { status: 'Pending', node: null }];
    c.expected = { skip: false };
    expect(volcanoAdapter.run(c).status).toBe('pass');
    c.input.min_available = 1;
    c.input.tasks = [{ status: 'Releasing', node: '' }];
    expect(volcanoAdapter.run(c).status).toBe('pass');
    // and the rule can fail: "partial termination" skips, so expecting false fails
    const d = byId('gang-skip-unschedulable-for-releasing-1');
    d.expected = { skip: false };
    expect(volcanoAdapter.run(d)).toMatchObject({ status: 'fail', detail: 'expected {"skip":false}, got {"skip":true}' });
  });

  it('a Succeeded pod counts for its gang (api/job_info.go ValidTaskNum, ReadyTaskNum)', () => {
    // pg1 (min_member 2) has p0 Succeeded and p1 Pending: valid 1 + 1 = 2 and, once p1 is placed, ready 1 + 1 = 2,
    // so allocate binds p1 on n1.
    // Counting only the pods that hold a node, pg1 would be invalid (1 < 2) and nothing would bind.
    const c = byId('fid-allocate-closing-queue-not-allocatable');
    (c.input.queues as { state: string }[])[0].state = 'Open';
    (c.input.pod_groups as { min_member: number }[])[0].min_member = 2;
    const pods = c.input.pods as { name: string; phase: string; node: string | null }[];
    pods.unshift({ ...pods[0], name: 'p0', phase: 'Succeeded', node: null });
    c.expected = { binds: { 'ns1/p1': 'n1' }, bind_count: 1 };
    expect(volcanoAdapter.run(c)).toEqual({ status: 'pass', detail: '' });
    pods[0].phase = 'Failed'; // a Failed task is neither valid nor ready: nothing binds
    expect(volcanoAdapter.run(c).status).toBe('fail');
  });

  it('a session cannot start from a Releasing pod: unsupported, not passed', () => {
    const c = byId('proportion-enqueue-allocable-case0');
    (c.input.pods as { phase: string }[])[0].phase = 'Releasing';
    expect(volcanoAdapter.run(c).status).toBe('unsupported');
  });

  it('reports a wrong binpack score', () => {
    // args1-p1 n1: cpu (1000 + 1000)/2000·1 = 1, memory (1 + 1)/4 GiB·1 = 0.5 → 1.5/2·100·1 = 75, not 76.
    const c = byId('binpack-node-score-args1-p1');
    (c.expected.scores as Record<string, number>).n1 = 76;
    const o = volcanoAdapter.run(c);
    expect(o.status).toBe('fail');
    expect(o.detail).toContain('"n1":75');
  });

  it('refuses a non-numeric queue weight instead of looping (issue 19)', () => {
    // Before the fix proportion's water-filling divided by NaN and never settled, a synchronous loop no vitest
    // timeout can stop, so the case runs in a child process with a wall-clock bound: a hang fails, not blocks.
    const c = byId('proportion-enqueue-allocable-case0');
    (c.input.queues as { weight?: unknown }[])[0].weight = 'heavy';
    const adapter = fileURLToPath(new URL('../../src/conformance/volcano.ts', import.meta.url));
    const script = `import { volcanoAdapter } from ${JSON.stringify(adapter)}; process.stdout.write(JSON.stringify(volcanoAdapter.run(${JSON.stringify(c)})));`;
    const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
    const r = spawnSync(tsx, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.signal, 'the case hung').toBeNull();
    const o = JSON.parse(r.stdout) as CaseOutcome;
    expect(o.status).toBe('fail');
    expect(o.detail).toContain('proportion-enqueue-allocable-case0');
    expect(o.detail).toContain('input.queues[0].weight');
  }, 40_000);

  it('reports a wrong bind', () => {
    // case0: pod3 only fits n1 (n2's 2000 m CPU are all taken by pod2).
    const c = byId('proportion-enqueue-allocable-case0');
    c.expected.binds = { 'ns1/pod3': 'n2' };
    const o = volcanoAdapter.run(c);
    expect(o.status).toBe('fail');
    expect(o.detail).toContain('"ns1/pod3":"n1"');
  });

  it('a closed queue really blocks: opening it lets pod6 bind', () => {
    // case4 with q3 Open: pg6 (1 CPU / 1 GB) fits q3's capability and n1 → one bind, so the expectation of 0 fails.
    const c = byId('proportion-enqueue-allocable-case4');
    (c.input.queues as { state: string }[])[0].state = 'Open';
    expect(volcanoAdapter.run(c).status).toBe('fail');
  });
});

describe('§8 session vocabulary: elastic allocation, backfill, PodGroup phase (cases written here from the upstream rules)', () => {
  const GiB = 1073741824;
  const session = (id: string, input: Record<string, unknown>, expected: Record<string, unknown>): ConformanceCase =>
    ({ id, description: '', input: { function: 'session', plugins: { proportion: ['allocatable'] }, ...input }, expected }) as unknown as ConformanceCase;
  const nodes = [
    { name: 'n1', allocatable: { cpu_milli: 4000, memory_bytes: 8 * GiB, pods: 110 } },
    { name: 'n2', allocatable: { cpu_milli: 4000, memory_bytes: 8 * GiB, pods: 110 } },
  ];
  const queues = [{ name: 'q1', weight: 1, state: 'Open' }];
  const pod = (name: string, cpu: number) => ({ name, namespace: 'ns1', pod_group: 'pg1', node: null, phase: 'Pending', requests: cpu ? { cpu_milli: cpu, memory_bytes: GiB } : {} });

  it('an elastic group keeps allocating after its first task fits nowhere (job_info.go NeedContinueAllocating)', () => {
    // big (6000 m) fits neither 4000 m node; the queue's deserved (8000 m) allows it, so the predicates decide.
    // min_member 2 < 3 tasks: allocate continues, s1 and s2 are placed, the group is ready and commits (which
    // node each gets is not the point here: equal scores are a random pick upstream).
    const pods = [pod('big', 6000), pod('s1', 1000), pod('s2', 1000)];
    const groups = (min: number) => [{ name: 'pg1', namespace: 'ns1', queue: 'q1', min_member: min, min_resources: null, phase: 'Inqueue' }];
    const elastic = session('elastic', { actions: ['allocate'], nodes, queues, pod_groups: groups(2), pods }, { bind_count: 2 });
    expect(volcanoAdapter.run(elastic)).toEqual({ status: 'pass', detail: '' });
    // min_member 3 = every task: allocation breaks at big and the statement is discarded
    const rigid = session('rigid', { actions: ['allocate'], nodes, queues, pod_groups: groups(3), pods }, { bind_count: 0 });
    expect(volcanoAdapter.run(rigid)).toEqual({ status: 'pass', detail: '' });
  });

  it('backfill binds a BestEffort pod only for a ready group (session.go Allocate dispatches if JobReady)', () => {
    // pg1 min_member 2: big (6000 m) fits nowhere, be has no requests. Ready 0 + pending BestEffort 1 < 2, so
    // backfill allocates be but never dispatches it: nothing binds.
    const pods = [pod('big', 6000), pod('be', 0)];
    const groups = [{ name: 'pg1', namespace: 'ns1', queue: 'q1', min_member: 2, min_resources: null, phase: 'Inqueue' }];
    const c = session('backfill-not-ready', { actions: ['allocate', 'backfill'], nodes, queues, pod_groups: groups, pods }, { bind_count: 0 });
    expect(volcanoAdapter.run(c)).toEqual({ status: 'pass', detail: '' });
  });

  it('a group bound by this session is still Inqueue at its close (session.go getPodGroupPhase)', () => {
    // pg1 (Inqueue, min_member 2): s1 and s2 are dispatched, i.e. Binding at close; ScheduledStatus counts
    // only Running/Bound (and completed) tasks, so 0 < 2 and an Inqueue group keeps its phase. pg2 already
    // runs its one task (bound before the session): Running.
    const groups = [
      { name: 'pg1', namespace: 'ns1', queue: 'q1', min_member: 2, min_resources: null, phase: 'Inqueue' },
      { name: 'pg2', namespace: 'ns1', queue: 'q1', min_member: 1, min_resources: null, phase: 'Inqueue' },
    ];
    const pods = [pod('s1', 1000), pod('s2', 1000), { ...pod('r1', 1000), pod_group: 'pg2', node: 'n2', phase: 'Running' }];
    const c = session('phase-after-bind', { actions: ['allocate'], nodes, queues, pod_groups: groups, pods }, { bind_count: 2, pod_group_phases: { 'ns1/pg1': 'Inqueue', 'ns1/pg2': 'Running' } });
    expect(volcanoAdapter.run(c)).toEqual({ status: 'pass', detail: '' });
  });
});
