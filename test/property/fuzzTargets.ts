/**
 * Fuzz targets (issue 19 item 7): each is a seeded generator of hostile or extreme inputs and the check every
 * input must pass. The unit tier runs a few thousand inputs of each (test/property/fuzz.property.test.ts); long
 * runs go through `npm run fuzz` (scripts/fuzz.ts), which saves each failing input as a case file that replays.
 * Inputs are plain JSON (scenarios, strings), so a saved case is the input itself.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Scenario } from '../../src/scenario/types.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import { decodeShareHash, encodeShareHash } from '../../src/scenario/urlCodec.ts';
import { buildRun } from '../../src/sim/setup.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { OpenbParseError, parseOpenbNodes, parseOpenbPods } from '../../src/io/openb.ts';
import { parseQpsCsv } from '../../src/ui/lib/qpsCsv.ts';
import { csvField } from '../../src/ui/share/exportData.ts';
import { metricRangeProblems, scenarioArb } from './arbitraries.ts';

/** One fuzz target: inputs, and the check that throws (with a message) when an input breaks a rule. */
export interface FuzzTarget {
  name: string;
  /** One sentence: what must hold. */
  rule: string;
  arb: fc.Arbitrary<unknown>;
  check(input: unknown): void;
  /** Inputs per run in the unit tier (the fuzz script's count is per target too). */
  unitRuns: number;
}

const PRESETS = ['small-mixed', 'tidal-day', 'gang-deadlock', 'trio', 'agents-elastic'];

/** A shipped preset as plain JSON. */
function preset(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../public/scenarios/${name}.json`, import.meta.url)), 'utf8'));
}

const linkCache = new Map<string, string>();
/** A preset's share link (encoded once: deflate at level 9 is the slow part). */
function presetLink(name: string): string {
  if (!linkCache.has(name)) linkCache.set(name, encodeShareHash(presetCopy(name) as unknown as Scenario));
  return linkCache.get(name)!;
}

const presetCache = new Map<string, Record<string, unknown>>();
function presetCopy(name: string): Record<string, unknown> {
  if (!presetCache.has(name)) presetCache.set(name, preset(name));
  return structuredClone(presetCache.get(name)!);
}

/** Every path into a JSON value (objects and arrays), the root excluded. */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([...prefix, i]), paths(x, [...prefix, i], out)));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) (out.push([...prefix, k]), paths(x, [...prefix, k], out));
  return out;
}

/** Hostile values a field may get: numbers at and past every bound, wrong types, huge strings, prototypes. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 53, 0.5, 1e-9, 4294967296, '', ' ', '__proto__', 'toString', 'constructor', null, [], {}, true),
  fc.integer({ min: -1_000_000, max: 10_000_000 }),
  fc.string({ maxLength: 40 }),
);

/** A preset with 1–4 fields replaced by hostile values or removed, as plain JSON. */
const mutatedScenario: fc.Arbitrary<unknown> = fc
  .record({ preset: fc.constantFrom(...PRESETS), edits: fc.array(fc.record({ at: fc.nat(), remove: fc.boolean(), value: hostileValue }), { minLength: 1, maxLength: 4 }) })
  .map(({ preset: name, edits }) => {
    const s = presetCopy(name);
    for (const e of edits) {
      const all = paths(s);
      if (all.length === 0) break;
      const path = all[e.at % all.length];
      let parent: any = s;
      for (const k of path.slice(0, -1)) parent = parent[k];
      const last = path[path.length - 1];
      if (e.remove && Array.isArray(parent)) parent.splice(last as number, 1);
      else if (e.remove) delete parent[last];
      else parent[last] = structuredClone(e.value);
    }
    return s;
  });

/** Lines of a CSV with rows mutated: cells replaced, cut, doubled, joined; risky characters and odd numbers. */
function mutatedCsv(header: string, row: fc.Arbitrary<string[]>): fc.Arbitrary<string> {
  const cell = fc.oneof(fc.constantFrom('', ' ', '-1', '0x10', '1e3', 'NaN', 'Infinity', '1.5', '99999999999999999999', '"q"', '=1+1', 'toString', '\t', '\r'), fc.string({ maxLength: 8 }), fc.nat(5000).map(String));
  const mutated = fc.tuple(row, fc.nat(), cell, fc.constantFrom('keep', 'replace', 'cut', 'extra', 'join')).map(([cells, at, c, how]) => {
    const out = cells.slice();
    const i = at % out.length;
    if (how === 'replace') out[i] = c;
    else if (how === 'cut') out.splice(i, 1);
    else if (how === 'extra') out.splice(i, 0, c);
    else if (how === 'join') out[i] = `${out[i]}${c}`;
    return out.join(',');
  });
  return fc.tuple(fc.array(mutated, { maxLength: 6 }), fc.constantFrom('\n', '\r\n'), fc.boolean()).map(([rows, eol, bom]) => (bom ? '\uFEFF' : '') + [header, ...rows].join(eol));
}

const nodeRow = fc.tuple(fc.nat(99), fc.nat(128_000), fc.nat(1_000_000), fc.constantFrom(0, 1, 2, 8), fc.constantFrom('A100-80G', 'H100', 'T4', 'V100', '')).map(([i, c, m, g, model]) => [`n${i}`, String(c), String(m), String(g), model]);
const podRow = fc.tuple(fc.nat(999), fc.nat(64_000), fc.nat(500_000), fc.constantFrom(0, 1, 2, 8), fc.integer({ min: 0, max: 1000 }), fc.nat(100_000), fc.nat(100_000)).map(([i, c, m, g, milli, t0, dt]) => [`p${i}`, String(c), String(m), String(g), String(g === 0 ? 0 : g > 1 ? 1000 : Math.max(1, milli)), '', 'LS', 'Running', String(t0), String(t0 + dt), String(t0)]);
const qpsRow = fc.tuple(fc.integer({ min: -1000, max: 100_000 }), fc.nat(5000), fc.constantFrom('Generative Requests', 'Other')).map(([t, v, type]) => [String(t), String(v), '10.0.0.1', type]);

/** A parse error must name a line of the file (1-based, within it) or the file itself. */
function checkNamesLine(e: unknown, text: string, file: string): void {
  if (!(e instanceof Error)) throw new Error(`${file}: threw a non-Error ${String(e)}`);
  const m = /line (\d+)/.exec(e.message);
  if (m) {
    const n = Number(m[1]);
    const lines = text.split('\n').length;
    if (n < 1 || n > lines) throw new Error(`${file}: the error names line ${n} of a ${lines}-line file: ${e.message}`);
  } else if (!e.message.includes(file) && !e.message.startsWith('node list') && !e.message.startsWith('pod list')) throw new Error(`${file}: the error names no line: ${e.message}`);
}

/** The targets, in the order the fuzz script runs them. */
export const FUZZ_TARGETS: FuzzTarget[] = [
  {
    name: 'scenario',
    rule: 'validation never throws on a mutated preset, and a scenario it accepts sets up without throwing',
    arb: mutatedScenario,
    unitRuns: 2000,
    check(input) {
      const r = parseScenario(input);
      if (!r.ok) {
        if (r.errors.length === 0 || r.errors.some((e) => typeof e !== 'string' || e === '')) throw new Error('refused without a message');
        return;
      }
      for (let i = 0; i < r.scenario.schedulers.length; i++) buildRun(r.scenario, i);
    },
  },
  {
    name: 'run',
    rule: 'a generated valid scenario runs under its profile without throwing, every metric in its range',
    arb: scenarioArb,
    unitRuns: 60,
    check(input) {
      const r = parseScenario(input);
      if (!r.ok) throw new Error(`the saved scenario no longer validates: ${r.errors[0]}`);
      const out = simulate(r.scenario);
      const problems = [...metricRangeProblems(out.summary, 'summary'), ...metricRangeProblems(out.series, 'series')];
      if (problems.length) throw new Error(problems.slice(0, 5).join('; '));
    },
  },
  {
    name: 'link',
    rule: 'a damaged or hostile share link never throws (nor reaches the last-resort guard), and a valid one round-trips',
    arb: fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ maxLength: 200 }).map((s) => `#s1.${s}`),
      fc.tuple(fc.constantFrom(...PRESETS), fc.nat(), fc.constantFrom('cut', 'flip', 'insert')).map(([name, at, how]) => {
        const link = presetLink(name);
        const i = 4 + (at % (link.length - 4));
        if (how === 'cut') return link.slice(0, i);
        if (how === 'flip') return link.slice(0, i) + (link[i] === 'A' ? 'B' : 'A') + link.slice(i + 1);
        return link.slice(0, i) + '-_' + link.slice(i);
      }),
      fc.constantFrom(...PRESETS).map(presetLink),
    ),
    unitRuns: 1000,
    check(input) {
      const r = decodeShareHash(input);
      if (!r.ok) {
        if (r.error.startsWith('This link could not be opened (')) throw new Error(`decode hit its last-resort guard: ${r.error}`);
        return;
      }
      const again = decodeShareHash(encodeShareHash(r.state.scenario, r.state.view));
      if (!again.ok || JSON.stringify(again.state.scenario) !== JSON.stringify(r.state.scenario)) throw new Error('decode(encode(s)) ≠ s');
    },
  },
  {
    name: 'openb-nodes-csv',
    rule: 'a mutated openb node list parses or is refused with an OpenbParseError naming a line of the file',
    arb: mutatedCsv('sn,cpu_milli,memory_mib,gpu,model', nodeRow),
    unitRuns: 1500,
    check(input) {
      try {
        parseOpenbNodes(input as string);
      } catch (e) {
        if (!(e instanceof OpenbParseError)) throw new Error(`threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
        checkNamesLine(e, input as string, 'node list');
      }
    },
  },
  {
    name: 'openb-pods-csv',
    rule: 'a mutated openb pod list parses (every number finite, ≥ 0) or is refused with an OpenbParseError naming a line',
    arb: mutatedCsv('name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time', podRow),
    unitRuns: 1500,
    check(input) {
      try {
        for (const p of parseOpenbPods(input as string)) {
          for (const v of [p.cpuMilli, p.memMiB, p.numGpu, p.gpuMilli, p.creationS, p.deletionS ?? 0]) if (!Number.isFinite(v) || v < 0) throw new Error(`pod ${p.name}: ${v}`);
        }
      } catch (e) {
        if (!(e instanceof OpenbParseError)) throw new Error(`threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
        checkNamesLine(e, input as string, 'pod list');
      }
    },
  },
  {
    name: 'qps-csv',
    rule: 'a mutated qps.csv gives a finite curve ≥ 0 or an error naming a line or the file',
    arb: mutatedCsv('timestamp_anon,value,container_ip,request_type', qpsRow),
    unitRuns: 1500,
    check(input) {
      let points;
      try {
        points = parseQpsCsv(input as string);
      } catch (e) {
        checkNamesLine(e, input as string, 'qps.csv');
        return;
      }
      for (const p of points) if (!Number.isFinite(p.qps) || p.qps < 0 || !Number.isFinite(p.hour) || p.hour < 0) throw new Error(`point ${JSON.stringify(p)}`);
    },
  },
  {
    name: 'csv-cell',
    rule: 'an exported CSV cell is never read as a formula and reads back as the text it holds',
    arb: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('=HYPERLINK("http://x","y")', '+1', '-1+1', '@SUM(A1)', '\t=1', '\r=1', '"quoted"', 'a,b', 'line\nbreak')),
    unitRuns: 2000,
    check(input) {
      const cell = csvField(input as string);
      const body = cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
      if (/^[=+\-@\t\r]/.test(body)) throw new Error(`cell ${JSON.stringify(cell)} starts with a formula character`);
      if (/[",\n\r]/.test(body) && !cell.startsWith('"')) throw new Error(`cell ${JSON.stringify(cell)} is not quoted`);
      // What a spreadsheet shows: the text itself, after the one ' a risky first character gets.
      const shown = /^[=+\-@\t\r]/.test(input as string) ? `'${input as string}` : (input as string);
      if (body !== shown) throw new Error(`cell ${JSON.stringify(cell)} reads back as ${JSON.stringify(body)}, not ${JSON.stringify(shown)}`);
    },
  },
];

/** The target of a name, or undefined. */
export function fuzzTarget(name: string): FuzzTarget | undefined {
  return FUZZ_TARGETS.find((t) => t.name === name);
}
