/**
 * `slicebench merge a.jsonl b.jsonl … [--json]`: the rows files of a sharded grid (`sweep --shard i/N --out …`)
 * printed exactly as the unsharded command prints them. Refuses, naming the file or the index: rows of another grid
 * or another Slicebench version, a missing, duplicated or out-of-range shard, a truncated file (src/cli/shards.ts).
 */
import { InputError } from '../io.ts';
import type { Command } from '../main.ts';
import { mergeShardFiles, type ShardPrinter } from '../shards.ts';
import { printMergedOpenb, printMergedSweep } from './sweep.ts';
import { printMergedPaperGrid, printMergedPlan } from './plan.ts';

/** How each sharding command prints its merged rows (its shards' footers carry their engine reports). */
const RENDERERS: Record<string, ShardPrinter> = {
  sweep: printMergedSweep,
  'sweep-openb': printMergedOpenb,
  plan: printMergedPlan,
  'plan-paper': printMergedPaperGrid,
};

export const mergeCommand: Command = {
  name: 'merge',
  usage: 'merge <shard-0.jsonl> <shard-1.jsonl> … [--json]',
  summary: 'Put the rows files of a sharded sweep (scenario or --openb) or plan (scenario or --paper-grid) back together; prints what the unsharded run prints, byte for byte.',
  options: {
    json: { type: 'boolean' },
  },
  run(positionals, values, io) {
    const merged = mergeShardFiles(positionals);
    const render = RENDERERS[merged.header.command];
    if (!render) throw new InputError(`${merged.files[0].path}: rows of "${merged.header.command}", which merge does not know`);
    render(merged.rows, merged.files.map((f) => f.footer.engine), Boolean(values.json), io, merged.header.meta);
    return 0;
  },
};
