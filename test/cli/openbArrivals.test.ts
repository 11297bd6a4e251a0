/**
 * `slicebench openb --json` reports `arrivals` and `arrivedPctFinal` (issue 13), checked against values worked by
 * hand from the artifact's inflation rule (hkust-adsl/kubernetes-scheduler-simulator @ 8f3d641
 * pkg/simulator/simulator.go tuneUpPods: a copy is admitted while total + its per-GPU milli ≤ 1.3 × capacity, then
 * its num_gpu × milli is added, pkg/type/resource.go TotalMilliGpu). Each trace has one original pod, so every
 * copy is that pod and the count does not depend on the random numbers: both `--rng` modes must agree.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { capture } from './captureIO.ts';

describe('slicebench openb --json: arrivals and arrivedPctFinal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-arrivals-'));
  // 2 nodes × 2 GPUs: capacity 4 GPUs = 4000 milli, target 1.3 × 4000 = 5200 milli
  const nodes = join(dir, 'nodes.csv');
  writeFileSync(nodes, 'sn,cpu_milli,memory_mib,gpu,model\nn-0,32000,65536,2,T4\nn-1,32000,65536,2,T4\n');
  const trace = (name: string, numGpu: number, milli: number): string => {
    const f = join(dir, `${name}.csv`);
    writeFileSync(f, `name,cpu_milli,memory_mib,num_gpu,gpu_milli\n${name},1000,1024,${numGpu},${milli}\n`);
    return f;
  };

  it.each([
    // 2 × 1000: totals 2000 → (2000 + 1000 ≤ 5200) 4000 → (4000 + 1000 ≤ 5200) 6000 → (7000 > 5200) stop:
    // 3 arrivals, 6000 milli = 150 % of capacity (a multi-GPU copy ends above the target)
    { name: 'pair', numGpu: 2, milli: 1000, arrivals: 3, pct: 150 },
    // 1 × 500: 500 · k while 500 · k ≤ 5200, so k = 10 (5000; 5500 > 5200 stops): 10 arrivals, 125 %
    { name: 'half', numGpu: 1, milli: 500, arrivals: 10, pct: 125 },
  ])('$name: $arrivals arrivals, $pct % arrived (--rng slicebench and go)', async ({ name, numGpu, milli, arrivals, pct }) => {
    const pods = trace(name, numGpu, milli);
    for (const rng of ['slicebench', 'go']) {
      const io = capture();
      expect(await main(['openb', '--nodes', nodes, '--pods', pods, '--policy', 'bestfit', '--seed', '42', '--rng', rng, '--json', '--engine', 'cpu'], io)).toBe(0);
      const out = JSON.parse(io.stdout) as { capacityGpus: number; arrivals: number; arrivedPctFinal: number };
      expect(out.capacityGpus).toBe(4);
      expect(out.arrivals, rng).toBe(arrivals);
      expect(out.arrivedPctFinal, rng).toBe(pct);
    }
  });
});
