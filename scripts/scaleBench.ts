/**
 * Scale benchmark (issue 19 item 6): the wall time and peak memory of one run of `scaleScenario(nodes)`
 * (src/sim/benchScenario.ts: N 8-GPU nodes, about four pods per node over one day) per profile and size, each run
 * in a child process stopped at the time limit. The figures go to docs/benchmarks.md ("Practical limits").
 *
 *   npx tsx scripts/scaleBench.ts [--profiles a,b] [--nodes 1024,4096] [--limit-s 120]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { listProfiles } from '../src/sched/profiles/index.ts';
import { parseScenario } from '../src/scenario/validate.ts';
import { simulate } from '../src/sim/simulate.ts';
import { scaleScenario } from '../src/sim/benchScenario.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[2] === '--child') {
  // One run: print one JSON line.
  const nodes = Number(process.argv[3]);
  const profile = process.argv[4];
  const r = parseScenario(scaleScenario(nodes, profile));
  if (!r.ok) throw new Error(r.errors.join('; '));
  const t0 = performance.now();
  const out = simulate(r.scenario);
  const wallS = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ profile, nodes, pods: out.summary.podsCreated, wallS: Math.round(wallS * 10) / 10, rssMiB: Math.round(process.resourceUsage().maxRSS / 1024), traceHash: out.traceHash }));
} else {
  const profiles = arg('--profiles')?.split(',') ?? listProfiles().map((p) => p.name);
  const sizes = (arg('--nodes') ?? '1024,4096').split(',').map(Number);
  const limitS = Number(arg('--limit-s') ?? 120);
  const self = fileURLToPath(import.meta.url);
  console.log(`| profile | ${sizes.map((n) => `${n} nodes`).join(' | ')} |`);
  console.log(`|---|${sizes.map(() => '---').join('|')}|`);
  for (const profile of profiles) {
    const cells: string[] = [];
    let over = false;
    for (const n of sizes) {
      if (over) {
        cells.push('—');
        continue;
      }
      const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', String(n), profile], { encoding: 'utf8', timeout: limitS * 1000, maxBuffer: 1 << 20 });
      const line = r.stdout.trim().split('\n').pop() ?? '';
      if (r.status === 0 && line.startsWith('{')) {
        const x = JSON.parse(line) as { pods: number; wallS: number; rssMiB: number };
        cells.push(`${x.wallS} s, ${x.rssMiB} MiB (${x.pods} pods)`);
      } else {
        cells.push(r.error || r.signal ? `over ${limitS} s` : `failed: ${(r.stderr || '').trim().split('\n').pop()}`);
        over = true;
      }
    }
    console.log(`| ${profile} | ${cells.join(' | ')} |`);
  }
}
