/**
 * The browser parity run (parity.html, a build input of its own): the CPU engine and the WebGPU engine, forced
 * (a fallback/software adapter is accepted: this checks correctness, not speed), on seeded random clusters and
 * pods for the k8s-default and fgd kernels; every decision record must be identical. Exposes
 * `window.runParity(options)` for test/e2e/parity.test.ts; `?run=1` runs it on load and prints the result.
 */
import { Rng } from '../core/rng.ts';
import { CpuEngine } from './cpu/cpuEngine.ts';
import { loadShaderFilesVite } from './gpu/shadersVite.ts';
import { kernelSpecFor } from './kernels.ts';
import { selectEngine } from './select.ts';
import type { Decision, KernelSpec } from './types.ts';
import { podOf, randomCluster, randomRequest } from '../../test/parity/random.ts';
import { podOfTrace, randomFgdWorld, randomTracePod } from '../../test/parity/randomFgd.ts';

export interface ParityOptions {
  /** Random k8s-default clusters. */
  k8sClusters: number;
  /** Random fgd worlds. */
  fgdClusters: number;
  /** Pods per cluster (one decision each). */
  pods: number;
}

export interface ParityReport {
  ok: boolean;
  /** Why no run happened (no navigator.gpu, no adapter…). */
  unavailable: string | null;
  adapter: string | null;
  software: boolean;
  clusters: number;
  decisions: number;
  /** Decisions with at least one feasible node (the comparison is not vacuous). */
  placed: number;
  mismatches: string[];
}

async function run(o: ParityOptions): Promise<ParityReport> {
  const report: ParityReport = { ok: false, unavailable: null, adapter: null, software: false, clusters: 0, decisions: 0, placed: 0, mismatches: [] };
  const gpu = navigator.gpu;
  let sel;
  try {
    sel = await selectEngine('gpu', { gpu, missing: gpu ? undefined : 'this browser has no WebGPU (navigator.gpu)', files: loadShaderFilesVite() });
  } catch (e) {
    report.unavailable = e instanceof Error ? e.message : String(e);
    return report;
  }
  report.adapter = sel.adapter;
  report.software = sel.software;
  const g = sel.engine;
  const compare = async (label: string, spec: KernelSpec, cluster: Parameters<CpuEngine['attach']>[0], pods: Parameters<CpuEngine['evaluateSync']>[0], rng: Rng): Promise<void> => {
    const cpu = new CpuEngine();
    cpu.attach(cluster, spec);
    g.attach(cluster, spec);
    const n = cluster.nodes.length;
    const windows = pods.map(() => ({ start: rng.int(n), want: 1 + rng.int(n) }));
    const want: Decision[] = cpu.evaluateSync(pods, windows);
    const got: Decision[] = await g.evaluate(pods, windows);
    report.clusters++;
    for (let p = 0; p < pods.length; p++) {
      report.decisions++;
      if (want[p].feasible > 0) report.placed++;
      if (JSON.stringify(got[p]) !== JSON.stringify(want[p]) && report.mismatches.length < 10) report.mismatches.push(`${label} pod ${p}: cpu ${JSON.stringify(want[p])} gpu ${JSON.stringify(got[p])}`);
    }
  };
  try {
    for (let seed = 1; seed <= o.k8sClusters; seed++) {
      const rng = new Rng(seed * 104729);
      const c = randomCluster(rng, 1 + rng.int(seed % 25 === 0 ? 300 : 40));
      const spec = kernelSpecFor('k8s-default', seed % 2 ? {} : { strategy: 'MostAllocated', gpuWeight: 1 })!;
      const pods = Array.from({ length: o.pods }, () => podOf(randomRequest(rng, c.nodes[0].cpuMilli, c.nodes[0].memMiB)).request);
      await compare(`k8s seed ${seed}`, spec, c, pods, rng);
    }
    for (let seed = 1; seed <= o.fgdClusters; seed++) {
      const w = randomFgdWorld(seed * 7919, 1 + (seed % 30));
      const rng = new Rng(seed);
      const pods = Array.from({ length: o.pods }, (_, i) => podOfTrace(randomTracePod(rng, i), 3_000_000 + i).request);
      await compare(`fgd seed ${seed}`, kernelSpecFor('fgd', { coveragePct: w.coveragePct }, w.scenario)!, w.cluster, pods, rng);
    }
  } catch (e) {
    report.mismatches.push(`error: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    g.destroy();
  }
  report.ok = report.mismatches.length === 0 && report.decisions > 0;
  return report;
}

declare global {
  interface Window {
    runParity?: (o: ParityOptions) => Promise<ParityReport>;
  }
}

window.runParity = run;
if (new URLSearchParams(location.search).get('run') === '1') {
  void run({ k8sClusters: 50, fgdClusters: 20, pods: 4 }).then((r) => {
    document.getElementById('out')!.textContent = JSON.stringify(r, null, 2);
  });
}
