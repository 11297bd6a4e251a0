/**
 * The preset manifest (`public/scenarios/index.json`): for each preset, its file, a title, a two-sentence
 * explanation, the claim of the talk it makes visible (domain.md §1), the profiles to compare, optional variants
 * (the same preset with a JSON patch, e.g. agents scaled to zero), the numbers it should show as checkable
 * assertions (`expect`), and an optional story for presenter mode.
 *
 * The same code checks the assertions in Node (test/scenario/presets.test.ts keeps the talk's claims true) and in
 * the app (the gallery and the presenter show each number next to what it should be).
 */
import type { Scenario } from '../../scenario/types.ts';
import type { MetricSample, Summary } from '../../worker/protocol.ts';
import { applyPatch, type PatchOp } from './jsonPatch.ts';
import { jsonEqual } from './history.ts';

/** A comparison operator of an assertion. */
export type Op = '>' | '>=' | '<' | '<=' | '==';

/**
 * One number a preset should make visible. `metric` is `summary.<path>` (e.g. `summary.training.completed`) or
 * `series.<max|min|last>.<field>` or `series.at.<seconds>.<field>`. The value is compared with `value`, or with
 * `factor` × the metric of another run (`than.profile`/`than.variant`) or another metric (`than.metric`).
 */
export interface Expectation {
  metric: string;
  /** Scheduler label or profile name in the preset's `schedulers`. */
  profile: string;
  /** Variant id (absent: the preset as shipped). */
  variant?: string;
  op: Op;
  value?: number;
  than?: { profile?: string; variant?: string | null; metric?: string };
  /** Multiplies the right-hand side of a comparison (default 1). */
  factor?: number;
  /** What the number means, in plain words, for the gallery and the presenter. */
  text: string;
}

/** A named change of the preset (a JSON patch on its scenario). */
export interface Variant {
  title: string;
  patch: PatchOp[];
}

/** A chart or view a story step points at. */
export const HIGHLIGHTS = ['cluster', 'allocation', 'utilization', 'memory', 'stranded', 'fragmentation', 'pending', 'latency', 'agents', 'training', 'cost', 'summary'] as const;
export type Highlight = (typeof HIGHLIGHTS)[number];

/** One step of a preset's story (presenter mode). */
export interface StoryStep {
  caption: string;
  /** Scenario change applied on top of the previous steps' scenario. */
  patch?: PatchOp[];
  /** Simulated time to pause at, seconds. */
  atS?: number;
  highlight?: Highlight;
}

/** One preset of the gallery. */
export interface PresetEntry {
  id: string;
  file: string;
  title: string;
  /** Two sentences: what the scenario is, and what to look at. */
  explanation: string;
  /** The claim of domain.md §1 it makes visible (1–8). */
  claim: number;
  /** Other claims it also shows. */
  alsoClaims?: number[];
  /** Profiles compared (labels or profile names of the scenario's `schedulers`, in order). */
  profiles: string[];
  variants?: Record<string, Variant>;
  expect: Expectation[];
  story?: StoryStep[];
}

export interface PresetManifest {
  version: 1;
  presets: PresetEntry[];
}

/** The eight claims of the talk (domain.md §1), short, for the gallery. */
export const CLAIMS: Record<number, string> = {
  1: 'Allocation is high, utilization is low',
  2: 'Three layers of waste: hardware, scheduling, application',
  3: 'CPUs matter: a CPU-starved node strands its GPUs',
  4: 'GPU slices (HAMi) recover stranded capacity',
  5: 'Training needs gangs and good placement',
  6: 'Inference is tidal: busy by day, idle at night',
  7: 'Agents are mostly idle, with bursts: they need elasticity',
  8: 'No one-size-fits-all',
};

const OPS: readonly Op[] = ['>', '>=', '<', '<=', '=='];
const ID_RE = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Validates a manifest; messages name the JSON path. Never throws. */
export function parseManifest(json: unknown): { ok: true; manifest: PresetManifest } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(json) || json.version !== 1 || !Array.isArray(json.presets)) return { ok: false, errors: ['manifest: must be { "version": 1, "presets": [...] }'] };
  const ids = new Set<string>();
  json.presets.forEach((p, i) => {
    const at = `presets[${i}]`;
    if (!isObj(p)) return void errors.push(`${at}: must be an object`);
    if (typeof p.id !== 'string' || !ID_RE.test(p.id)) errors.push(`${at}.id: must be lower-case letters, digits and dashes`);
    else if (ids.has(p.id)) errors.push(`${at}.id: duplicate "${p.id}"`);
    else ids.add(p.id);
    if (typeof p.file !== 'string' || !/^[a-z0-9-]+\.json$/.test(p.file)) errors.push(`${at}.file: must be a file name like "x.json"`);
    for (const k of ['title', 'explanation'] as const) if (typeof p[k] !== 'string' || (p[k] as string).trim() === '') errors.push(`${at}.${k}: is required`);
    if (typeof p.explanation === 'string' && sentences(p.explanation) !== 2) errors.push(`${at}.explanation: must be two sentences (found ${sentences(p.explanation)})`);
    if (!Number.isInteger(p.claim) || (p.claim as number) < 1 || (p.claim as number) > 8) errors.push(`${at}.claim: must be 1–8`);
    if (p.alsoClaims !== undefined && (!Array.isArray(p.alsoClaims) || !p.alsoClaims.every((c) => Number.isInteger(c) && c >= 1 && c <= 8))) errors.push(`${at}.alsoClaims: must be claim numbers 1–8`);
    if (!Array.isArray(p.profiles) || p.profiles.length === 0 || p.profiles.length > 4 || !p.profiles.every((x) => typeof x === 'string')) errors.push(`${at}.profiles: 1–4 profile names`);
    const variants = isObj(p.variants) ? p.variants : {};
    if (p.variants !== undefined && !isObj(p.variants)) errors.push(`${at}.variants: must be an object`);
    for (const [vid, v] of Object.entries(variants)) {
      if (!isObj(v) || typeof v.title !== 'string' || !Array.isArray(v.patch)) errors.push(`${at}.variants.${vid}: needs a title and a patch`);
    }
    const profiles = Array.isArray(p.profiles) ? (p.profiles as string[]) : [];
    const checkRun = (path: string, profile: unknown, variant: unknown) => {
      if (typeof profile !== 'string' || !profiles.includes(profile)) errors.push(`${path}.profile: must be one of the preset's profiles (${profiles.join(', ')})`);
      if (variant !== undefined && variant !== null && (typeof variant !== 'string' || !(variant in variants))) errors.push(`${path}.variant: unknown variant "${String(variant)}"`);
    };
    if (!Array.isArray(p.expect) || p.expect.length === 0) errors.push(`${at}.expect: at least one assertion`);
    else
      p.expect.forEach((e, j) => {
        const ep = `${at}.expect[${j}]`;
        if (!isObj(e)) return void errors.push(`${ep}: must be an object`);
        if (typeof e.metric !== 'string' || !isMetricPath(e.metric)) errors.push(`${ep}.metric: unknown metric path "${String(e.metric)}"`);
        checkRun(ep, e.profile, e.variant);
        if (!OPS.includes(e.op as Op)) errors.push(`${ep}.op: must be one of ${OPS.join(' ')}`);
        if (typeof e.text !== 'string' || e.text.trim() === '') errors.push(`${ep}.text: is required`);
        const hasValue = typeof e.value === 'number' && Number.isFinite(e.value);
        if (hasValue === (e.than !== undefined)) errors.push(`${ep}: needs exactly one of value or than`);
        if (isObj(e.than)) {
          if (e.than.profile !== undefined || e.than.variant !== undefined) checkRun(`${ep}.than`, e.than.profile ?? e.profile, e.than.variant ?? undefined);
          if (e.than.metric !== undefined && (typeof e.than.metric !== 'string' || !isMetricPath(e.than.metric))) errors.push(`${ep}.than.metric: unknown metric path`);
        }
        if (e.factor !== undefined && (typeof e.factor !== 'number' || !(e.factor > 0))) errors.push(`${ep}.factor: must be a positive number`);
      });
    if (p.story !== undefined) {
      if (!Array.isArray(p.story)) errors.push(`${at}.story: must be an array`);
      else
        p.story.forEach((s, j) => {
          const sp = `${at}.story[${j}]`;
          if (!isObj(s) || typeof s.caption !== 'string' || s.caption.trim() === '') return void errors.push(`${sp}.caption: is required`);
          if (s.patch !== undefined && !Array.isArray(s.patch)) errors.push(`${sp}.patch: must be a JSON patch array`);
          if (s.atS !== undefined && (!Number.isInteger(s.atS) || (s.atS as number) < 0)) errors.push(`${sp}.atS: must be a non-negative integer`);
          if (s.highlight !== undefined && !HIGHLIGHTS.includes(s.highlight as Highlight)) errors.push(`${sp}.highlight: must be one of ${HIGHLIGHTS.join(', ')}`);
        });
    }
  });
  return errors.length ? { ok: false, errors } : { ok: true, manifest: json as unknown as PresetManifest };
}

function sentences(text: string): number {
  // A sentence ends with . ! or ? followed by a space or the end ("e.g." and decimals are not used in explanations).
  return text.trim().split(/(?<=[.!?])\s+(?=[A-Z0-9"“(])/).filter((s) => s.trim() !== '').length;
}

const SERIES_RE = /^series\.(max|min|last|at\.\d+)\.([A-Za-z]+)$/;

/** True when the path names a summary field or a series aggregate. */
export function isMetricPath(path: string): boolean {
  return /^summary(\.[A-Za-z]+)+$/.test(path) || SERIES_RE.test(path);
}

/** What a run gives the assertions. */
export interface RunMetrics {
  summary: Summary;
  series: readonly MetricSample[];
}

/** Reads a metric from a run; undefined when the path names nothing numeric. */
export function metricValue(run: RunMetrics, path: string): number | undefined {
  if (path.startsWith('summary.')) {
    let v: unknown = run.summary;
    for (const k of path.slice('summary.'.length).split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
    return typeof v === 'number' ? v : undefined;
  }
  const m = SERIES_RE.exec(path);
  if (!m) return undefined;
  const field = m[2] as keyof MetricSample;
  const values = run.series.map((s) => s[field]).filter((x): x is number => typeof x === 'number');
  if (values.length === 0) return undefined;
  if (m[1] === 'max') return Math.max(...values);
  if (m[1] === 'min') return Math.min(...values);
  if (m[1] === 'last') return values[values.length - 1];
  const t = Number(m[1].slice(3));
  const at = run.series.find((s) => s.tS === t);
  return at && typeof at[field] === 'number' ? (at[field] as number) : undefined;
}

/** Identifies one run of a preset: a profile (label or name) under a variant (null: as shipped). */
export interface RunKey {
  profile: string;
  variant: string | null;
}

/** Key string of a run, for maps. */
export function runKeyId(k: RunKey): string {
  return `${k.variant ?? ''}|${k.profile}`;
}

/** Every run the assertions need, in a stable order (shipped first, then variants). */
export function runsNeeded(entry: PresetEntry): RunKey[] {
  const seen = new Map<string, RunKey>();
  const add = (k: RunKey) => seen.set(runKeyId(k), k);
  for (const e of entry.expect) {
    add({ profile: e.profile, variant: e.variant ?? null });
    if (e.than && (e.than.profile !== undefined || e.than.variant !== undefined)) add({ profile: e.than.profile ?? e.profile, variant: e.than.variant === undefined ? (e.variant ?? null) : e.than.variant });
  }
  return [...seen.values()].sort((a, b) => (a.variant ?? '').localeCompare(b.variant ?? ''));
}

/** Index of a profile (by label, then by profile name) in the scenario's schedulers, or −1. */
export function schedulerIndex(scenario: Scenario, profile: string): number {
  const byLabel = scenario.schedulers.findIndex((s) => s.label === profile);
  return byLabel >= 0 ? byLabel : scenario.schedulers.findIndex((s) => s.profile === profile && s.label === undefined);
}

/** The preset's scenario under a variant (a copy; errors name the failing patch operation). */
export function variantScenario(base: Scenario, entry: PresetEntry, variant: string | null): { ok: true; value: Scenario } | { ok: false; error: string } {
  if (variant === null) return { ok: true, value: base };
  const v = entry.variants?.[variant];
  if (!v) return { ok: false, error: `unknown variant "${variant}"` };
  return applyPatch(base, v.patch);
}

/** The scenario at story step k: the preset with the patches of steps 0..k applied in order. */
export function storyScenario(base: Scenario, story: readonly StoryStep[], k: number): { ok: true; value: Scenario } | { ok: false; error: string } {
  let s = base;
  for (let i = 0; i <= k && i < story.length; i++) {
    const patch = story[i].patch;
    if (!patch) continue;
    const r = applyPatch(s, patch);
    if (!r.ok) return { ok: false, error: `story[${i}]: ${r.error}` };
    s = r.value;
  }
  return { ok: true, value: s };
}

/** The story step whose scenario `current` is (steps patch the preset in turn), or null when it is none of them. */
export function storyStepOf(base: Scenario, story: readonly StoryStep[], current: Scenario): number | null {
  for (let k = 0; k < Math.max(1, story.length); k++) {
    const r = storyScenario(base, story, k);
    if (r.ok && jsonEqual(r.value, current)) return k;
  }
  return null;
}

/**
 * A scenario that is no preset (a custom shared link, the user's own edits) as a one-step story, so presenter
 * mode shows it as it is instead of opening a preset over it (issue 19: that replaced the work and the saved work).
 * Its `file` is empty: there is no preset file to read.
 */
export function scenarioAsEntry(s: Scenario): PresetEntry {
  return { id: '', file: '', title: s.name, explanation: s.description ?? '', claim: 0, profiles: s.schedulers.map((x) => x.label ?? x.profile), expect: [] };
}

/** The outcome of one assertion. */
export interface CheckResult {
  expect: Expectation;
  actual: number | undefined;
  /** The right-hand side after `factor` (undefined when it could not be read). */
  target: number | undefined;
  pass: boolean;
}

/** Checks every assertion of a preset against its runs (`runs(key)` returns undefined for a missing run). */
export function checkExpectations(entry: PresetEntry, runs: (key: RunKey) => RunMetrics | undefined): CheckResult[] {
  return entry.expect.map((e) => {
    const left = runs({ profile: e.profile, variant: e.variant ?? null });
    const actual = left ? metricValue(left, e.metric) : undefined;
    let target: number | undefined;
    if (e.value !== undefined) target = e.value;
    else if (e.than) {
      const sameRun = e.than.profile === undefined && e.than.variant === undefined;
      const right = sameRun ? left : runs({ profile: e.than.profile ?? e.profile, variant: e.than.variant === undefined ? (e.variant ?? null) : e.than.variant });
      const raw = right ? metricValue(right, e.than.metric ?? e.metric) : undefined;
      target = raw === undefined ? undefined : raw * (e.factor ?? 1);
    }
    return { expect: e, actual, target, pass: actual !== undefined && target !== undefined && compare(actual, e.op, target) };
  });
}

/** `a op b`. */
export function compare(a: number, op: Op, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '==':
      return a === b;
  }
}

/** A metric value with its unit, for people (`96.6 %`, `2,448 s`, `$20.67`). */
export function formatMetric(path: string, v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '—';
  const field = path.split('.').at(-1) ?? '';
  const num = (x: number, digits: number) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  if (field.endsWith('Usd')) return `$${num(v, 2)}`;
  if (field.endsWith('Pct')) return `${num(v, 1)} %`;
  if (field.endsWith('Ms')) return `${num(v, 0)} ms`;
  if (field.endsWith('S')) return `${num(v, 0)} s`;
  return num(v, 2);
}

/** One line for an assertion: `k8s-default: 96.6 % (should be > 80 %)`. */
export function describeCheck(c: CheckResult): string {
  const e = c.expect;
  const who = `${e.profile}${e.variant ? ` (${e.variant})` : ''}`;
  let rhs: string;
  if (e.value !== undefined) rhs = formatMetric(e.metric, e.value);
  else {
    const other = e.than?.profile !== undefined || e.than?.variant !== undefined ? `${e.than?.profile ?? e.profile}${(e.than?.variant === undefined ? e.variant : e.than.variant) ? ` (${e.than?.variant === undefined ? e.variant : e.than.variant})` : ''}` : who;
    const what = e.than?.metric && e.than.metric !== e.metric ? `${other}'s ${e.than.metric.split('.').slice(1).join('.')}` : other;
    rhs = `${e.factor && e.factor !== 1 ? `${e.factor} × ` : ''}${what} = ${formatMetric(e.than?.metric ?? e.metric, c.target)}`;
  }
  return `${who}: ${formatMetric(e.metric, c.actual)} (should be ${e.op} ${rhs})`;
}
