/**
 * Sharded grids: a command that runs a list of independent replicas (`sweep`, `plan`) runs only its share
 * with `--shard i/N --out rows.jsonl`, and `slicebench merge` puts the shards back together. Nothing here knows
 * what a row is: a command names itself, hashes its identity (scenario and axes, never the engine) and hands rows
 * over; merge.ts asks the command's renderer to print the merged rows exactly as the unsharded run prints them.
 *
 * A rows file is JSON lines: a header (format, Slicebench version, command, identity, shard i/N, grid size), one
 * line per replica `{"k": grid index, "row": …, "engine": …}`, and a footer with the row count. The file is
 * written under a temporary name and renamed, and merge wants the footer, so a partial file never passes for a whole.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, intFlag, readText, type CliIO } from './io.ts';
import { canonicalText } from '../plan/rows.ts';

/** Version of the rows-file layout; bump it when a line's shape changes. */
export const SHARD_FORMAT = 1;

/** The `kind` of a rows file's header (and its footer's `end`). */
export const SHARD_KIND = 'slicebench/shard-rows';

/** Shard `index` (0-based, as Kubernetes' JOB_COMPLETION_INDEX) of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** The first line of a rows file. */
export interface ShardHeader {
  kind: typeof SHARD_KIND;
  format: number;
  /** package.json's version of the Slicebench that wrote it. */
  slicebench: string;
  /** The command whose rows these are (`sweep`); merge prints them with that command's renderer. */
  command: string;
  /** sha256 of the canonical JSON of what the grid is (the scenario and the axes), engine-independent. */
  identity: string;
  shard: ShardSpec;
  /** Replicas in the whole grid (every shard's rows together). */
  replicas: number;
  /** What the command's printer needs beyond the rows (plan: its axes, for the answer), or absent. */
  meta?: unknown;
}

/** One replica's line: its index in the whole grid, its row, and how its engine ran (null when only the shard knows). */
export interface ShardRow<R = unknown> {
  k: number;
  row: R;
  engine: unknown;
}

/** The last line of a complete rows file. */
export interface ShardFooter {
  end: typeof SHARD_KIND;
  rows: number;
  /** The shard's engine report (merge uses it when rows carry no engine of their own). */
  engine: unknown;
}

let versionCache: string | null = null;

/** package.json's version, read when a shard is written or merged (src/ may import only src/ and packages). */
export function slicebenchVersion(): string {
  versionCache ??= (JSON.parse(readText(fileURLToPath(new URL('../../package.json', import.meta.url)))) as { version: string }).version;
  return versionCache;
}

/** Parses `--shard i/N` (0 ≤ i < N); anything else is an InputError naming the flag. */
export function parseShardFlag(value: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!m) throw new InputError(`--shard: expected i/N like 0/4 (index from 0), got "${value}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > 10_000) throw new InputError(`--shard: N must be between 1 and 10000, got ${count}`);
  if (index >= count) throw new InputError(`--shard: index ${index} out of range 0..${count - 1} for ${count} shards`);
  return { index, count };
}

/** The grid indices shard `s` runs: replica k goes to shard k mod N (interleaved, so shards get similar mixes). */
export function shardIndices(replicas: number, s: ShardSpec): number[] {
  const out: number[] = [];
  for (let k = s.index; k < replicas; k += s.count) out.push(k);
  return out;
}

/** JSON with object keys sorted at every level, so equal values hash equally whatever their key order (plan/rows.ts's). */
export const canonicalJson = canonicalText;

/** A grid's identity: sha256 (hex) of the canonical JSON of the command and what defines its replicas. */
export function gridIdentity(command: string, what: unknown): string {
  return createHash('sha256').update(canonicalJson({ command, what })).digest('hex');
}

/** Writes a rows file (header, rows, footer) under a temporary name, then renames it into place. */
export function writeShardFile(path: string, header: Omit<ShardHeader, 'kind' | 'format' | 'slicebench'>, rows: readonly ShardRow[], engine: unknown): void {
  const head: ShardHeader = { kind: SHARD_KIND, format: SHARD_FORMAT, slicebench: slicebenchVersion(), ...header };
  const foot: ShardFooter = { end: SHARD_KIND, rows: rows.length, engine };
  const lines = [JSON.stringify(head), ...rows.map((r) => JSON.stringify(r)), JSON.stringify(foot)];
  const tmp = `${path}.partial-${process.pid}`;
  try {
    writeFileSync(tmp, lines.join('\n') + '\n');
  } catch (e) {
    throw new InputError(`--out ${path}: cannot write: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  renameSync(tmp, path);
}

/** One rows file, read and checked on its own (complete, a rows file, this format and version, rows in its share). */
export interface ShardFile {
  path: string;
  header: ShardHeader;
  rows: ShardRow[];
  footer: ShardFooter;
}

/** Reads a rows file; every problem is an InputError naming the file. */
export function readShardFile(path: string): ShardFile {
  const text = readText(path);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const parse = (line: string, n: number): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      if (n === lines.length) throw new InputError(`${path}: truncated: line ${n} is not complete JSON (a shard still running, or a copy cut short); re-run that shard`);
      throw new InputError(`${path}: line ${n} is not JSON`);
    }
  };
  if (lines.length === 0) throw new InputError(`${path}: empty file, not a shard's rows`);
  const header = parse(lines[0], 1) as ShardHeader;
  if (header?.kind !== SHARD_KIND) throw new InputError(`${path}: not a Slicebench rows file (its first line is no ${SHARD_KIND} header)`);
  if (header.format !== SHARD_FORMAT || header.slicebench !== slicebenchVersion()) {
    throw new InputError(`${path}: written by Slicebench ${String(header.slicebench)} (rows format ${String(header.format)}); this is Slicebench ${slicebenchVersion()} (format ${SHARD_FORMAT}): re-run the shards with one version`);
  }
  const { index, count } = header.shard ?? {};
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0) throw new InputError(`${path}: bad shard field ${JSON.stringify(header.shard)}`);
  if (index >= count) throw new InputError(`${path}: shard index ${index} out of range 0..${count - 1} for ${count} shards`);
  const last = lines.length > 1 ? (parse(lines[lines.length - 1], lines.length) as Partial<ShardFooter>) : null;
  if (last?.end !== SHARD_KIND) throw new InputError(`${path}: truncated: no footer line (a shard still running, or a copy cut short); re-run shard ${index}/${count}`);
  const rows = lines.slice(1, -1).map((l, i) => parse(l, i + 2) as ShardRow);
  if (last.rows !== rows.length) throw new InputError(`${path}: truncated: the footer counts ${String(last.rows)} rows, the file holds ${rows.length}; re-run shard ${index}/${count}`);
  const expected = shardIndices(header.replicas, header.shard);
  if (rows.length !== expected.length || rows.some((r, i) => r.k !== expected[i])) throw new InputError(`${path}: its rows are not shard ${index}/${count}'s share of ${header.replicas} replicas`);
  return { path, header, rows, footer: last as ShardFooter };
}

/** The shards of one grid put together in grid order; every refusal (another grid, missing or duplicated shard) names the file or the index. */
export function mergeShardFiles(paths: readonly string[]): { header: ShardHeader; rows: ShardRow[]; files: ShardFile[] } {
  if (paths.length === 0) throw new InputError('expects the rows files of every shard (slicebench merge shard-0.jsonl shard-1.jsonl …)');
  const files = paths.map(readShardFile);
  const first = files[0];
  const byIndex = new Map<number, ShardFile>();
  for (const f of files) {
    if (f.header.command !== first.header.command || f.header.identity !== first.header.identity || f.header.replicas !== first.header.replicas) {
      throw new InputError(`${f.path}: rows of another ${f.header.command} (identity ${f.header.identity.slice(0, 12)}…, ${first.path} has ${first.header.identity.slice(0, 12)}…): a different scenario, profiles, seeds or --set values`);
    }
    if (f.header.shard.count !== first.header.shard.count) throw new InputError(`${f.path}: a shard of ${f.header.shard.count}, but ${first.path} is a shard of ${first.header.shard.count}`);
    const twin = byIndex.get(f.header.shard.index);
    if (twin) throw new InputError(`${f.path}: shard ${f.header.shard.index}/${f.header.shard.count} given twice (also ${twin.path})`);
    byIndex.set(f.header.shard.index, f);
  }
  const count = first.header.shard.count;
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length) throw new InputError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} (given ${[...byIndex.keys()].sort((a, b) => a - b).map((i) => `${i}/${count}`).join(', ')})`);
  const rows = files.flatMap((f) => f.rows).sort((a, b) => a.k - b.k);
  return { header: first.header, rows, files };
}

/**
 * Prints merged rows (grid order) exactly as the command's unsharded run prints them; `shardEngines`: the footers'
 * reports; `meta`: the header's meta (ShardableGrid.meta).
 */
export type ShardPrinter = (rows: readonly ShardRow[], shardEngines: readonly unknown[], json: boolean, io: CliIO, meta?: unknown) => void;

/** A grid a command can shard: what it is, how to run some of its replicas, how to print rows, how another process rebuilds it. */
export interface ShardableGrid {
  command: string;
  identity: string;
  replicas: number;
  /** Arguments after `slicebench` that rebuild this grid in another process (no --shard, --out, --workers or --json). */
  argv: string[];
  /** Runs the replicas at grid indices `ks`: a row each (with its run's engine status, or null) and the run's engine report. */
  run(ks: readonly number[]): Promise<{ rows: { row: unknown; engine: unknown }[]; engine: unknown }>;
  print: ShardPrinter;
  /** Handed to `print`, and written into each rows file's header for merge (JSON). */
  meta?: unknown;
  /** The engine report in words, for a shard's stderr (where its pod log shows it). */
  describe(engine: unknown): string;
}

/** The parseArgs options runShardable reads. */
export const SHARD_OPTIONS = {
  shard: { type: 'string' },
  out: { type: 'string' },
  workers: { type: 'string' },
} as const;

/**
 * Runs a grid as the flags say: whole (printed), one shard (`--shard i/N --out`, written), or `--workers W` shards
 * in W child processes, merged. The whole run prints through the merge printer too, so the outputs cannot drift apart.
 */
export async function runShardable(g: ShardableGrid, values: Record<string, unknown>, io: CliIO): Promise<number> {
  const shard = values.shard !== undefined ? parseShardFlag(String(values.shard)) : null;
  const out = values.out as string | undefined;
  if (shard && out === undefined) throw new InputError('--shard needs --out <rows.jsonl> (merge the shards with slicebench merge)');
  const workers = intFlag(values.workers as string | undefined, '--workers', 1) as number;
  if (workers < 1 || workers > 256) throw new InputError(`--workers: must be between 1 and 256, got ${workers}`);
  const json = Boolean(values.json);
  if (workers > 1) {
    if (out !== undefined || shard) throw new InputError('--workers runs the shards itself; give it without --shard and --out');
    return runOnWorkers(g, workers, json, io);
  }
  const part = shard ?? { index: 0, count: 1 };
  const ks = shardIndices(g.replicas, part);
  const { rows, engine } = await g.run(ks);
  const lines = rows.map((r, i) => ({ k: ks[i], row: r.row, engine: r.engine }));
  if (out === undefined) {
    g.print(lines, [engine], json, io, g.meta);
    return 0;
  }
  writeShardFile(out, { command: g.command, identity: g.identity, shard: part, replicas: g.replicas, ...(g.meta === undefined ? {} : { meta: g.meta }) }, lines, engine);
  io.err(g.describe(engine));
  io.err(`${g.command}: shard ${part.index}/${part.count}: ${rows.length} of ${g.replicas} replicas → ${out}`);
  return 0;
}

/** `--workers W`: W shards in W child processes of this CLI, then merged: the same bytes as one process. */
async function runOnWorkers(g: ShardableGrid, workers: number, json: boolean, io: CliIO): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'slicebench-workers-'));
  try {
    const paths = Array.from({ length: workers }, (_, i) => join(dir, `shard-${i}.jsonl`));
    // The running CLI script (bin/slicebench.mjs, or the GPU kit's bundle); in-process callers (tests) get the bin.
    const bin = /slicebench\.m?js$/.test(process.argv[1] ?? '') ? process.argv[1] : fileURLToPath(new URL('../../bin/slicebench.mjs', import.meta.url));
    await Promise.all(paths.map((out, i) => runChild(process.execPath, [bin, ...g.argv, '--shard', `${i}/${workers}`, '--out', out])));
    const merged = mergeShardFiles(paths);
    g.print(merged.rows, merged.files.map((f) => f.footer.engine), json, io, merged.header.meta);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a child process to its end; exit 2 (bad input) becomes an InputError with its message, anything else a bug. */
function runChild(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(code === 2 ? new InputError(err.trim()) : new Error(`a --workers child exited with ${String(code)}: ${err}`))));
  });
}
