/**
 * The pinned results: every preset under each of its own schedulers and under all registered profiles with their
 * defaults, as (traceHash, digest of the summary, digest of the metric series). test/sim/pins.test.ts checks them.
 *
 *   npx tsx scripts/pins.ts            compare with test/sim/pins.json; print what moved; exit 1 if anything did
 *   npx tsx scripts/pins.ts --write    re-pin deliberately (an intended model change), printing what moved
 *
 * A refactor changes no pin. An intended model change re-pins with --write and says in its commit what moved and why.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { computePins, diffPins, type Pins } from '../test/sim/pinsLib.ts';

const file = fileURLToPath(new URL('../test/sim/pins.json', import.meta.url));
const write = process.argv.includes('--write');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const started = Date.now();
const fresh = computePins(only.length ? only : undefined);
const old: Pins = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
const moved = diffPins(old, fresh, only.length > 0);
for (const line of moved) console.log(line);
console.log(`${Object.keys(fresh).length} runs, ${moved.length} moved (${((Date.now() - started) / 1000).toFixed(1)} s)`);
if (write) {
  const merged = only.length ? { ...old, ...fresh } : fresh;
  const sorted = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(file, JSON.stringify(sorted, null, 1) + '\n');
  console.log(`wrote ${file}`);
} else if (moved.length > 0) process.exit(1);
