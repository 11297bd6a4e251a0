/**
 * The import arrows of docs/architecture.md ("Import rules"), checked on every import of src/**\/*.ts(x):
 *
 *   ui → worker → sim → sched → model → scenario → core      engine, io, conformance, cli beside them
 *   sim → plan → scenario (the planner's pure part; the UI loads it lazily)
 *
 * A layer imports itself and the layers its rule lists, nothing else. The UI sees the worker only through
 * src/worker/protocol.ts (other worker modules type-only), and io only lazily (`import()`) or type-only, so the
 * first screen loads no simulator or scheduler code. A failure names the file, the import and the rule broken.
 * The scanner is a few regular expressions over the source (comments stripped), enough for this code base's
 * one-statement-per-import style; tsc resolves nothing here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

type Layer = 'core' | 'scenario' | 'model' | 'sched' | 'plan' | 'sim' | 'engine' | 'io' | 'conformance' | 'worker' | 'ui' | 'cli';

/** What each layer may import besides itself (its runtime and type imports alike). */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  core: [],
  scenario: ['core'],
  model: ['scenario', 'core'],
  sched: ['model', 'scenario', 'core'],
  // The planner's pure part (grid, answer, bands, rows): the scenario format only, so the UI can load it lazily.
  plan: ['scenario', 'core'],
  sim: ['plan', 'sched', 'model', 'scenario', 'core'],
  // The engine implements the schedulers' candidate evaluation; only worker and cli wire it in.
  engine: ['sim', 'plan', 'sched', 'model', 'scenario', 'core'],
  // io turns files into scenarios: it knows the scenario format and the model, never a scheduler.
  io: ['model', 'scenario', 'core'],
  conformance: ['sched', 'model', 'scenario', 'core'],
  worker: ['engine', 'io', 'sim', 'plan', 'sched', 'model', 'scenario', 'core'],
  // ui: worker, io and plan too, under the narrower rules in uiRule() below.
  ui: ['worker', 'io', 'plan', 'scenario', 'core'],
  cli: ['conformance', 'engine', 'io', 'worker', 'sim', 'plan', 'sched', 'model', 'scenario', 'core'],
};

/** Packages by name prefix, and the layers that may import them (any other package fails: add it here). */
const PACKAGES: readonly { prefix: string; layers: readonly Layer[] }[] = [
  { prefix: 'solid-js', layers: ['ui'] },
  { prefix: 'd3', layers: ['ui'] },
  { prefix: 'comlink', layers: ['ui', 'worker'] },
  { prefix: 'fflate', layers: ['scenario', 'ui', 'worker', 'cli'] },
  // Cluster snapshots and manifests are YAML (io/kube, io/export).
  { prefix: 'yaml', layers: ['io', 'cli'] },
  { prefix: 'webgpu', layers: ['engine', 'cli'] },
  { prefix: 'node:', layers: ['engine', 'cli'] },
];

/** One import statement of a source file. */
interface ImportEdge {
  /** Repository-relative path of the importing file. */
  file: string;
  /** The specifier as written. */
  spec: string;
  /** Repository-relative resolved path for a relative specifier, else the package name. */
  target: string;
  /** `import type` / `export type`, or every named specifier marked `type`: erased at build time. */
  typeOnly: boolean;
  /** `import('…')`: loaded on demand, its own chunk. */
  dynamic: boolean;
}

/** Every .ts/.tsx file under a folder, repository-relative. */
function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The imports of one file's text (block and whole-line comments stripped first). */
function scanImports(file: string, text: string): ImportEdge[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: ImportEdge[] = [];
  const add = (spec: string, typeOnly: boolean, dynamic: boolean): void => {
    const target = spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), spec)).split('\\').join('/') : spec;
    out.push({ file, spec, target, typeOnly, dynamic });
  };
  const fromRe = /^[ \t]*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*['"]([^'"]+)['"]/gm;
  for (const m of code.matchAll(fromRe)) {
    const names = /^\{([\s\S]*)\}$/.exec(m[3].trim());
    const allTyped = names !== null && names[1].split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '));
    add(m[4], m[2] !== undefined || allTyped, false);
  }
  for (const m of code.matchAll(/^[ \t]*import\s*['"]([^'"]+)['"]/gm)) add(m[1], false, false);
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) add(m[1], false, true);
  return out;
}

/** The layer of a repository-relative path under src/, or null outside src/. */
function layerOf(path: string): Layer | null {
  const m = /^src\/([^/]+)\//.exec(path);
  if (!m) return null;
  if (!(m[1] in MAY_IMPORT)) throw new Error(`${path}: src/${m[1]}/ is no layer: add it to MAY_IMPORT and docs/architecture.md`);
  return m[1] as Layer;
}

/** The extra rule of a UI import of worker or io code, or null when it holds. */
function uiRule(e: ImportEdge, to: Layer): string | null {
  if (to === 'worker' && !e.typeOnly && e.target !== 'src/worker/protocol.ts') return 'ui imports worker code only from src/worker/protocol.ts (other worker modules: `import type`)';
  if (to === 'io' && !e.typeOnly && !e.dynamic) return 'ui loads io lazily (`import()`) or imports its types only';
  if (to === 'plan' && !e.typeOnly && !e.dynamic) return 'ui loads the planner lazily (`import()`) or imports its types only';
  return null;
}

/** Every broken rule over the given edges, one line each: file, import, rule. */
function violations(edges: readonly ImportEdge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const from = layerOf(e.file);
    if (!from) continue;
    const say = (rule: string): void => {
      out.push(`${e.file}: import '${e.spec}' breaks "${rule}"`);
    };
    if (!e.spec.startsWith('.')) {
      const pkg = PACKAGES.find((p) => e.spec.startsWith(p.prefix));
      if (!pkg) say(`package ${e.spec} is in no layer's list (PACKAGES)`);
      else if (!pkg.layers.includes(from)) say(`${pkg.prefix} is for ${pkg.layers.join(', ')} only`);
      continue;
    }
    const to = layerOf(e.target);
    if (!to) {
      say('src/ imports only src/ and packages');
      continue;
    }
    if (to === from) continue;
    if (!MAY_IMPORT[from].includes(to)) {
      say(`${from} may import ${MAY_IMPORT[from].join(', ') || 'nothing of the project'}, not ${to}`);
      continue;
    }
    if (from === 'ui') {
      const rule = uiRule(e, to);
      if (rule) say(rule);
    }
    // The UI's one runtime import of the worker must not pull simulator or scheduler code into the first screen.
    if (e.file === 'src/worker/protocol.ts' && !e.typeOnly && !['worker', 'scenario', 'core'].includes(to)) say('src/worker/protocol.ts imports other layers type-only');
  }
  return out;
}

const EDGES = sourceFiles('src').flatMap((f) => scanImports(f, readFileSync(join(ROOT, f), 'utf8')));

describe('import arrows (docs/architecture.md, "Import rules")', () => {
  it('the scanner sees the imports of the code base', () => {
    expect(EDGES.length).toBeGreaterThan(500);
    expect(EDGES.some((e) => e.file === 'src/ui/components/OpenbImportDialog.tsx' && e.dynamic)).toBe(true);
    expect(EDGES.some((e) => e.file === 'src/worker/protocol.ts' && e.typeOnly)).toBe(true);
  });

  it('no import goes against the arrows', () => {
    expect(violations(EDGES)).toEqual([]);
  });

  it('the scanner and the rules catch what they must', () => {
    const edges = scanImports(
      'src/scenario/x.ts',
      [
        "import { getProfile } from '../sched/profiles/index.ts';",
        "import type {\n  Summary,\n} from '../sim/metrics.ts';",
        '/* import { no } from "../ui/App.tsx"; */',
        "// import { no } from '../ui/App.tsx';",
        "export { a } from './y.ts';",
        "const m = await import('../io/openb.ts');",
      ].join('\n'),
    );
    expect(edges.map((e) => [e.target, e.typeOnly, e.dynamic])).toEqual([
      ['src/sched/profiles/index.ts', false, false],
      ['src/sim/metrics.ts', true, false],
      ['src/scenario/y.ts', false, false],
      ['src/io/openb.ts', false, true],
    ]);
    expect(violations(edges)).toEqual([
      `src/scenario/x.ts: import '../sched/profiles/index.ts' breaks "scenario may import core, not sched"`,
      `src/scenario/x.ts: import '../sim/metrics.ts' breaks "scenario may import core, not sim"`,
      `src/scenario/x.ts: import '../io/openb.ts' breaks "scenario may import core, not io"`,
    ]);
    const ui = [
      ...scanImports('src/ui/A.tsx', "import { x } from '../worker/session.ts';\nimport { type Y } from '../worker/longRun.ts';\nimport { KIND_CODES } from '../worker/protocol.ts';"),
      ...scanImports('src/ui/B.tsx', "import { openbImportScenario } from '../io/openbScenario.ts';\nimport { demandAt } from '../sim/demand.ts';\nimport { select } from 'd3';\nimport { planAnswer } from '../plan/index.ts';\nimport type { PlanRow } from '../plan/rows.ts';\nconst p = await import('../plan/index.ts');"),
      ...scanImports('src/plan/D.ts', "import { simulate } from '../sim/simulation.ts';"),
      ...scanImports('src/sim/C.ts', "import { select } from 'd3';\nimport { r } from '../../test/parity/random.ts';"),
    ];
    expect(violations(ui)).toEqual([
      `src/ui/A.tsx: import '../worker/session.ts' breaks "ui imports worker code only from src/worker/protocol.ts (other worker modules: \`import type\`)"`,
      `src/ui/B.tsx: import '../io/openbScenario.ts' breaks "ui loads io lazily (\`import()\`) or imports its types only"`,
      `src/ui/B.tsx: import '../sim/demand.ts' breaks "ui may import worker, io, plan, scenario, core, not sim"`,
      `src/ui/B.tsx: import '../plan/index.ts' breaks "ui loads the planner lazily (\`import()\`) or imports its types only"`,
      `src/plan/D.ts: import '../sim/simulation.ts' breaks "plan may import scenario, core, not sim"`,
      `src/sim/C.ts: import 'd3' breaks "d3 is for ui only"`,
      `src/sim/C.ts: import '../../test/parity/random.ts' breaks "src/ imports only src/ and packages"`,
    ]);
  });

  it('the layers below the worker typecheck without the DOM (tsconfig.core.json)', () => {
    const cfg = JSON.parse(readFileSync(join(ROOT, 'tsconfig.core.json'), 'utf8')) as { include: string[]; compilerOptions: { lib: string[]; types: string[] } };
    for (const layer of ['core', 'scenario', 'model', 'sched', 'plan', 'sim']) expect(cfg.include, `tsconfig.core.json must include src/${layer}`).toContain(`src/${layer}`);
    expect(cfg.compilerOptions.lib.some((l) => /dom|webworker/i.test(l))).toBe(false);
    expect(cfg.compilerOptions.types).toEqual([]);
  });
});
