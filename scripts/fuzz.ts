/**
 * Long fuzz runs (issue 19 item 7) over the targets of test/property/fuzzTargets.ts: scenarios, share links, CSV
 * rows, exported CSV cells, and generated scenarios run through the simulator. Each failing input is saved as a
 * case file (the input itself, with its target, seed and error) that replays on its own.
 *
 *   npm run fuzz                                   every target, 100,000 inputs each (`run`: 1,000, see below)
 *   npm run fuzz -- --count 500000 --seed 7        more inputs, another seed
 *   npm run fuzz -- --targets link,qps-csv         some targets only
 *   npm run fuzz -- --replay fuzz-cases/link-7-3-12.json   run one saved case again (exit 1 while it fails)
 *
 * `--count N` is the number of inputs per target. The `run` target simulates a whole scenario per input (tens of
 * milliseconds each), so without `--count` it takes 1,000. Cases go to `--out` (default fuzz-cases/, git-ignored);
 * at most 3 cases are saved per distinct error (numbers masked), the rest only counted.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { FUZZ_TARGETS, fuzzTarget, type FuzzTarget } from '../test/property/fuzzTargets.ts';

/** A saved failing input. */
export interface FuzzCase {
  target: string;
  seed: number;
  batch: number;
  index: number;
  error: string;
  input: unknown;
}

/** What one target's run found. */
export interface FuzzReport {
  target: string;
  inputs: number;
  failures: number;
  saved: string[];
  seconds: number;
}

const BATCH = 1000;
const CASES_PER_ERROR = 3;

/** An error's message with its numbers masked, so one bug met many times is saved a few times only. */
function signature(message: string): string {
  return message.replace(/\d+(\.\d+)?/g, '#').slice(0, 200);
}

/** Runs `count` inputs of a target from `seed` (batches of 1,000 drawn with seed, seed + 1, …); saves failures under `outDir`. */
export function fuzzOne(t: FuzzTarget, count: number, seed: number, outDir: string, log: (line: string) => void = () => {}): FuzzReport {
  const t0 = performance.now();
  const seen = new Map<string, number>();
  const saved: string[] = [];
  let failures = 0;
  let inputs = 0;
  for (let batch = 0; inputs < count; batch++) {
    const n = Math.min(BATCH, count - inputs);
    const samples = fc.sample(t.arb, { seed: seed + batch, numRuns: n });
    samples.forEach((input, index) => {
      try {
        t.check(input);
      } catch (e) {
        failures++;
        const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        const sig = signature(error);
        const k = seen.get(sig) ?? 0;
        seen.set(sig, k + 1);
        if (k >= CASES_PER_ERROR) return;
        mkdirSync(outDir, { recursive: true });
        const file = join(outDir, `${t.name}-${seed}-${batch}-${index}.json`);
        const c: FuzzCase = { target: t.name, seed, batch, index, error, input };
        writeFileSync(file, `${JSON.stringify(c, null, 1)}\n`);
        saved.push(file);
        log(`  ${t.name}: FAIL ${error.slice(0, 160)} → ${file}`);
      }
    });
    inputs += n;
  }
  return { target: t.name, inputs, failures, saved, seconds: (performance.now() - t0) / 1000 };
}

/** Replays a saved case: null when it passes now, else the error. */
export function replayCase(file: string): string | null {
  const c = JSON.parse(readFileSync(file, 'utf8')) as FuzzCase;
  const t = fuzzTarget(c.target);
  if (!t) throw new Error(`${file}: no fuzz target named ${JSON.stringify(c.target)} (known: ${FUZZ_TARGETS.map((x) => x.name).join(', ')})`);
  try {
    t.check(c.input);
    return null;
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
  }
}

function main(argv: string[]): number {
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const replay = opt('--replay');
  if (replay) {
    const err = replayCase(replay);
    console.log(err === null ? `${replay}: passes now` : `${replay}: fails\n${err}`);
    return err === null ? 0 : 1;
  }
  const countArg = opt('--count');
  const count = countArg === undefined ? undefined : Number(countArg);
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) throw new Error(`--count: a positive integer, got ${countArg}`);
  const seed = Number(opt('--seed') ?? Date.now() % 1_000_000);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed: an integer ≥ 0, got ${opt('--seed')}`);
  const names = opt('--targets')?.split(',') ?? FUZZ_TARGETS.map((t) => t.name);
  const targets = names.map((n) => fuzzTarget(n) ?? (() => { throw new Error(`--targets: no target ${JSON.stringify(n)} (known: ${FUZZ_TARGETS.map((t) => t.name).join(', ')})`); })());
  const outDir = opt('--out') ?? 'fuzz-cases';
  console.log(`fuzz: seed ${seed}; cases go to ${outDir}/`);
  let failed = 0;
  for (const t of targets) {
    const n = count ?? (t.name === 'run' ? 1000 : 100_000);
    const r = fuzzOne(t, n, seed, outDir, (l) => console.log(l));
    failed += r.failures;
    console.log(`${t.name}: ${r.inputs} inputs, ${r.failures} failing (${r.saved.length} saved), ${r.seconds.toFixed(1)} s`);
  }
  console.log(failed ? `${failed} failing inputs; replay one with: npm run fuzz -- --replay <case file>` : 'no failing input');
  return failed ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
