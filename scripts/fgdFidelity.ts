/**
 * Reproduces docs/fidelity.md "## FGD replay": every policy on the default openb trace and four variants, several
 * seeds, allocation % at 100 % arrival (mean ± sample s.d.). Run: `npx tsx scripts/fgdFidelity.ts [seeds...]`
 * (default seeds 42–46, the artifact's tuning seeds start at 42). Reads ../shared/data/openb.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseOpenbNodes, parseOpenbPods } from '../src/io/openb.ts';
import { replayOpenb } from '../src/sched/frag/replay.ts';

const DATA = fileURLToPath(new URL('../../shared/data/openb/', import.meta.url));
const TRACES = ['default', 'gpushare40', 'multigpu50', 'gpuspec33', 'cpu250'];
const POLICIES = ['fgd', 'random', 'dotprod', 'clustering', 'packing', 'bestfit'];
const seeds = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [42, 43, 44, 45, 46];

const nodes = parseOpenbNodes(readFileSync(DATA + 'openb_node_list_gpu_node.csv', 'utf8'));
const rows: string[] = [];
const header = `| policy | ${TRACES.join(' | ')} |`;
const cells: Record<string, string[]> = {};
const means: Record<string, Record<string, number>> = {};
for (const trace of TRACES) {
  const pods = parseOpenbPods(readFileSync(`${DATA}openb_pod_list_${trace}.csv`, 'utf8'));
  means[trace] = {};
  for (const policy of POLICIES) {
    const v = seeds.map((seed) => replayOpenb({ nodes, pods, policy, seed }).curve[100].allocatedPct);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
    (cells[policy] ??= []).push(`${mean.toFixed(1)} ± ${sd.toFixed(1)}`);
    means[trace][policy] = mean;
    process.stderr.write(`${trace} ${policy} ${v.map((x) => x.toFixed(2)).join(' ')}\n`);
  }
}
rows.push(header, `|---|${TRACES.map(() => '---').join('|')}|`);
for (const p of POLICIES) rows.push(`| ${p} | ${cells[p].join(' | ')} |`);
rows.push('', 'Unallocated GPUs at 100 % arrival, FGD vs each baseline (reduction = 1 − (100 − FGD) / (100 − baseline)):', '');
rows.push(`| vs | ${TRACES.join(' | ')} |`, `|---|${TRACES.map(() => '---').join('|')}|`);
for (const p of POLICIES.filter((q) => q !== 'fgd')) {
  rows.push(`| ${p} | ${TRACES.map((t) => `${((1 - (100 - means[t].fgd) / (100 - means[t][p])) * 100).toFixed(0)} %`).join(' | ')} |`);
}
console.log(`seeds: ${seeds.join(', ')}\n`);
console.log(rows.join('\n'));
