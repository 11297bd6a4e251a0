/**
 * Speed of one full openb replay (default trace, 1,213 nodes, seed 42, inflation 1.3) per policy on the CPU
 * engine: the first run in the process and the best of three, wall and CPU time. Recorded in
 * docs/benchmarks.md "## openb replay (CPU engine)". Run: `npx tsx scripts/openbBench.ts [policies...]`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseOpenbNodes, parseOpenbPods } from '../src/io/openb.ts';
import { replayOpenb } from '../src/sched/frag/replay.ts';

const DATA = fileURLToPath(new URL('../../shared/data/openb/', import.meta.url));
const nodes = parseOpenbNodes(readFileSync(DATA + 'openb_node_list_gpu_node.csv', 'utf8'));
const pods = parseOpenbPods(readFileSync(DATA + 'openb_pod_list_default.csv', 'utf8'));
const policies = process.argv.length > 2 ? process.argv.slice(2) : ['fgd', 'random', 'dotprod', 'clustering', 'packing', 'bestfit'];
console.log('| policy | arrivals | first run wall / CPU (ms) | best of 3 wall / CPU (ms) |');
console.log('|---|---|---|---|');
for (const policy of policies) {
  const runs: { wall: number; cpu: number; arrivals: number }[] = [];
  for (let k = 0; k < 3; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = replayOpenb({ nodes, pods, policy, seed: 42 });
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    runs.push({ wall, cpu: (c.user + c.system) / 1000, arrivals: r.stats.arrivedPods });
  }
  const best = runs.reduce((a, b) => (b.wall < a.wall ? b : a));
  console.log(`| ${policy} | ${runs[0].arrivals} | ${runs[0].wall.toFixed(0)} / ${runs[0].cpu.toFixed(0)} | ${best.wall.toFixed(0)} / ${best.cpu.toFixed(0)} |`);
}
