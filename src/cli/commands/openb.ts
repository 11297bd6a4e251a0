/**
 * `slicebench openb --nodes <csv> --pods <csv> --policy <name> --seed <N> [--inflation 1.3] [--rng go] [--json]`:
 * the FGD paper's replay of the Alibaba openb trace (domain.md §6.4): pods shuffled, inflated to 1.3 × capacity,
 * placed one by one and never removed. `--rng go` draws Go's math/rand numbers in the artifact's call order and
 * averages as its analysis script does (src/sched/frag/goReplay.ts), reproducing the published runs; the default
 * `--rng slicebench` uses Slicebench's seeded streams. `--json` prints
 * `{"policy","seed","capacityGpus","arrivals","arrivedPctFinal","curve":[{"arrivedPct","allocatedPct",
 * "fragmentedGpuPct","fragRatioPct"}...]}` with one row per whole arrived-% from 0 to inflation·100; `arrivals` is
 * the number of pods that arrived and `arrivedPctFinal` their total GPU demand as % of capacity (4 decimals).
 */
import { OpenbParseError, parseOpenbNodes, parseOpenbPods } from '../../io/openb.ts';
import { FGD_PROFILES } from '../../sched/profiles/fgd.ts';
import { ENGINE_OPTION, ENGINE_USAGE, engineLine, engineReport, selectCliEngine } from '../engine.ts';
import { replayOpenbOn } from '../../engine/wiring/wire.ts';
import { InputError, numberFlag, quoteInput, readText, seedFlag } from '../io.ts';
import type { Command } from '../main.ts';

const POLICIES = FGD_PROFILES.map((p) => p.name);

function parse<T>(path: string, fn: (text: string) => T): T {
  try {
    return fn(readText(path));
  } catch (e) {
    if (e instanceof OpenbParseError) throw new InputError(`${path}: ${e.message}`);
    throw e;
  }
}

function fmt(x: number): string {
  return x.toFixed(1).padStart(6);
}

export const openbCommand: Command = {
  name: 'openb',
  usage: `openb --nodes <csv> --pods <csv> --policy <name> --seed <N> [--inflation 1.3] [--rng slicebench|go] [--json] ${ENGINE_USAGE}`,
  summary: `Replay the Alibaba openb trace as the FGD paper does; policies: ${POLICIES.join(', ')}.`,
  options: {
    nodes: { type: 'string' },
    pods: { type: 'string' },
    policy: { type: 'string' },
    seed: { type: 'string' },
    inflation: { type: 'string' },
    rng: { type: 'string' },
    json: { type: 'boolean' },
    ...ENGINE_OPTION,
  },
  async run(positionals, values, io) {
    if (positionals.length > 0) throw new InputError(`unexpected argument ${quoteInput(positionals[0])}`);
    const nodesPath = values.nodes as string | undefined;
    const podsPath = values.pods as string | undefined;
    const policy = values.policy as string | undefined;
    if (!nodesPath) throw new InputError('--nodes <node csv> is required');
    if (!podsPath) throw new InputError('--pods <pod csv> is required');
    if (!policy) throw new InputError(`--policy is required (one of ${POLICIES.join(', ')})`);
    if (!POLICIES.includes(policy)) throw new InputError(`--policy: must be one of ${POLICIES.join(', ')}, got ${quoteInput(policy)}`);
    const seed = seedFlag(values.seed as string | undefined);
    if (seed === undefined) throw new InputError('--seed <N> is required');
    const inflation = numberFlag(values.inflation as string | undefined, '--inflation', 1.3) as number;
    if (inflation < 1 || inflation > 5) throw new InputError(`--inflation: must be between 1 and 5, got ${inflation}`);
    const rngName = (values.rng as string | undefined) ?? 'slicebench';
    if (rngName !== 'slicebench' && rngName !== 'go') throw new InputError(`--rng: must be slicebench or go, got ${quoteInput(rngName)}`);
    const nodes = parse(nodesPath, parseOpenbNodes);
    const pods = parse(podsPath, parseOpenbPods);
    if (nodes.length === 0) throw new InputError(`${nodesPath}: no nodes`);
    const sel = await selectCliEngine(values.engine, io);
    let run: Awaited<ReturnType<typeof replayOpenbOn>>;
    try {
      run = await replayOpenbOn(sel, { nodes, pods, policy, seed, inflation, rng: rngName });
    } finally {
      sel.engine.destroy();
    }
    const r = run.result;
    // stderr only: the --json shape is fixed (see the header).
    io.err(engineLine(engineReport([run.engine])));
    if (values.json) {
      const arrivedPctFinal = Math.round((r.stats.arrivedMilli / (r.capacityGpus * 1000)) * 100 * 10000) / 10000;
      io.out(JSON.stringify({ policy: r.policy, seed: r.seed, capacityGpus: r.capacityGpus, arrivals: r.stats.arrivedPods, arrivedPctFinal, curve: r.curve }));
      return 0;
    }
    const lines = [
      `openb replay: policy ${policy}, seed ${seed}${rngName === 'go' ? " (Go's random numbers)" : ''}, ${nodes.length} nodes, ${r.capacityGpus} GPUs, ${pods.length} pods → ${r.stats.arrivedPods} arrivals (inflation ${inflation}), ${r.stats.failedPods} failed`,
      '',
      'arrived %  allocated %  fragmented GPU %  frag rate %',
    ];
    for (const row of r.curve) {
      if (row.arrivedPct % 10 !== 0 && row.arrivedPct !== 100) continue;
      lines.push(`${fmt(row.arrivedPct)}     ${fmt(row.allocatedPct)}       ${fmt(row.fragmentedGpuPct)}           ${fmt(row.fragRatioPct)}`);
    }
    io.out(lines.join('\n'));
    return 0;
  },
};
