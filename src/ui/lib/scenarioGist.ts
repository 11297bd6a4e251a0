/**
 * One sentence on what a scenario will run (issue 18): shown in the run area while the app waits for the user to
 * choose the saved work after a broken link, so the screen says what will load instead of "Loading…".
 */
import { quoteInput } from '../../core/quoteInput.ts';
import type { Scenario } from '../../scenario/types.ts';

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** `"Small mixed cluster": 12 nodes with 64 GPUs in 3 pools, 4 workloads, under k8s-default and volcano`. */
export function scenarioGist(s: Scenario): string {
  const nodes = s.cluster.pools.reduce((n, p) => n + p.count, 0);
  const gpus = s.cluster.pools.reduce((n, p) => n + p.count * p.gpusPerNode, 0);
  const names = s.schedulers.map((x) => x.label ?? x.profile);
  const under = names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${quoteInput(s.name)}: ${plural(nodes, 'node')} with ${plural(gpus, 'GPU')} in ${plural(s.cluster.pools.length, 'pool')}, ${plural(s.workloads.length, 'workload')}, under ${under}`;
}
