/** `slicebench validate <scenario.json>`: checks a scenario and says what it holds. */
import type { Command } from '../main.ts';
import { loadScenarioFile } from '../scenarioFile.ts';
import { buildRun } from '../../sim/setup.ts';
import { ScenarioError } from '../../scenario/errors.ts';
import { InputError } from '../io.ts';

export const validateCommand: Command = {
  name: 'validate',
  usage: 'validate <scenario.json>',
  summary: 'Check a scenario file; print what it holds, or every problem with its JSON path (exit 2).',
  options: {},
  run(positionals, _values, io) {
    if (positionals.length !== 1) throw new InputError('expects exactly one scenario file');
    const path = positionals[0];
    const s = loadScenarioFile(path);
    for (let i = 0; i < s.schedulers.length; i++) {
      try {
        buildRun(s, i);
      } catch (e) {
        if (e instanceof ScenarioError) throw new InputError(`${path}: ${e.message}`);
        throw e;
      }
    }
    const nodes = s.cluster.pools.reduce((a, p) => a + p.count, 0);
    const gpus = s.cluster.pools.reduce((a, p) => a + p.count * p.gpusPerNode, 0);
    io.out(`${path}: ok — "${s.name}": ${nodes} nodes, ${gpus} GPUs, ${s.workloads.length} workloads, schedulers ${s.schedulers.map((x) => x.profile).join(', ')}, ${s.sim.durationS} s`);
    return 0;
  },
};
