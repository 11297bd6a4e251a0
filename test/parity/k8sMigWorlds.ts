/**
 * Scenarios for k8s-mig's kernel checks (CPU twin here, WebGPU in k8sMig.parity.test.ts): the MIG presets, and
 * their workloads on a cluster that mixes layouts (all-balanced, all-3g.40gb, all-1g.10gb, a custom list) with a
 * pool without MIG, under both MIG strategies and both NodeResourcesFit strategies.
 */
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../../src/cli/scenarioFile.ts';
import type { Scenario } from '../../src/scenario/types.ts';

const preset = (file: string): Scenario => loadScenarioFile(fileURLToPath(new URL(`../../public/scenarios/${file}`, import.meta.url)));

/** The mixed cluster: every MIG strategy case (valid single pools, an invalid one, no MIG) on one cluster. */
function mixedCluster(base: Scenario): Scenario['cluster'] {
  const a100 = base.cluster.pools[0];
  return {
    ...base.cluster,
    pools: [
      { ...a100, name: 'balanced', count: 2, gpusPerNode: 4, mig: 'all-balanced' },
      { ...a100, name: 'threes', count: 1, gpusPerNode: 4, mig: 'all-3g.40gb' },
      { ...a100, name: 'ones', count: 1, gpusPerNode: 2, mig: 'all-1g.10gb' },
      { ...a100, name: 'plain', count: 2, gpusPerNode: 4, mig: undefined },
    ],
  };
}

/** k8s-mig runs to compare: name → scenario (one scheduler, k8s-mig with the named options). */
export function k8sMigWorlds(): [string, Scenario][] {
  const out: [string, Scenario][] = [];
  for (const file of ['mig-layouts.json', 'mig-tidal.json']) {
    const base = preset(file);
    for (const options of [{}, { migStrategy: 'single', strategy: 'MostAllocated' }, { strategy: 'MostAllocated' }]) {
      const schedulers = [{ profile: 'k8s-mig', options }];
      out.push([`${file} ${JSON.stringify(options)}`, { ...base, schedulers }]);
      out.push([`${file} mixed pools ${JSON.stringify(options)}`, { ...base, cluster: mixedCluster(base), schedulers }]);
    }
  }
  return out;
}
