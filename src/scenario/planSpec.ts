/**
 * The scenario's optional `plan` field (issue 14): its checks, with messages naming the JSON path
 * (`plan.targets.sloAttainmentPct: impossible: …`), and the expansion of its axes' ranges into values. The grid,
 * the answer and the rows live in src/plan/; this file is only what a scenario file must hold to be valid, so a
 * preset or a share link carrying a plan opens or is refused like any other field.
 */
import { PROFILE_CATALOG, checkProfileOptions, profileInfo } from './profileCatalog.ts';
import type { PlanRange, PlanSpec } from './types.ts';

type Obj = Record<string, unknown>;

/** Replicas a plan may have unless it raises `maxReplicas` (the user is asked first). */
export const DEFAULT_PLAN_CAP = 10_000;
/** The highest cap a plan may set. */
export const MAX_PLAN_CAP = 1_000_000;
/** Most values one axis (scale factors, a pool's counts, demand scales, knob values, seeds) may list. */
export const MAX_PLAN_AXIS = 100_000;
/** Default share of seeds that must meet every target, %. */
export const DEFAULT_CONFIDENCE_PCT = 95;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The values of a range, both ends included, each rounded to 9 decimals so `0.5..2 step 0.1` gives 0.7, not
 * 0.7000000000000001; [] when the range is empty (to < from) or not a range at all.
 */
export function rangeValues(r: PlanRange): number[] {
  if (!isNum(r.from) || !isNum(r.to) || !isNum(r.step) || r.step <= 0 || r.to < r.from) return [];
  const n = Math.floor((r.to - r.from) / r.step + 1e-9) + 1;
  return Array.from({ length: Math.min(n, MAX_PLAN_AXIS + 1) }, (_, i) => Math.round((r.from + i * r.step) * 1e9) / 1e9);
}

/** A plan's seeds in order: its list, its range, or the scenario's own seed. */
export function planSeeds(plan: PlanSpec, scenarioSeed: number): number[] {
  const s = plan.seeds;
  if (s === undefined) return [scenarioSeed];
  if (Array.isArray(s)) return [...s];
  if (s.to < s.from) return [];
  return Array.from({ length: Math.min(s.to - s.from + 1, MAX_PLAN_AXIS + 1) }, (_, i) => s.from + i);
}

/** A plan's scale factors (a list, a range, or [1] when the axis gives pool counts or nothing). */
export function planScaleFactors(plan: PlanSpec): number[] {
  const f = plan.scale?.factors;
  if (f === undefined) return [1];
  return Array.isArray(f) ? [...f] : rangeValues(f);
}

/** Checks a scenario's `plan` field against the scenario's pools; pushes one message per problem onto `errors`. */
export function checkPlanSpec(plan: unknown, poolNames: ReadonlySet<string>, errors: string[]): void {
  const say = (path: string, msg: string): void => {
    errors.push(`${path}: ${msg}`);
  };
  if (!isObj(plan)) return say('plan', 'must be an object');
  unknown(plan, 'plan', ['profiles', 'scale', 'demandScale', 'seeds', 'targets', 'confidencePct', 'maxReplicas'], say);
  checkProfiles(plan.profiles, say);
  checkScale(plan.scale, poolNames, say);
  if (plan.demandScale !== undefined) numberList(plan.demandScale, 'plan.demandScale', 0.001, 1000, say);
  checkSeeds(plan.seeds, say);
  checkTargets(plan.targets, say);
  if (plan.confidencePct !== undefined && (!isNum(plan.confidencePct) || plan.confidencePct <= 0 || plan.confidencePct > 100)) say('plan.confidencePct', 'must be a number above 0 and at most 100');
  if (plan.maxReplicas !== undefined && (!Number.isInteger(plan.maxReplicas) || (plan.maxReplicas as number) < 1 || (plan.maxReplicas as number) > MAX_PLAN_CAP)) {
    say('plan.maxReplicas', `must be an integer between 1 and ${MAX_PLAN_CAP.toLocaleString('en-US')}`);
  }
}

type Say = (path: string, msg: string) => void;

function unknown(o: Obj, path: string, known: readonly string[], say: Say): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) say(`${path}.${k}`, `unknown field (known: ${known.join(', ')})`);
}

function numberList(v: unknown, path: string, min: number, max: number, say: Say): void {
  if (!Array.isArray(v)) return say(path, 'must be an array of numbers');
  if (v.length === 0) return say(path, 'empty axis: list at least one value');
  if (v.length > MAX_PLAN_AXIS) return say(path, `at most ${MAX_PLAN_AXIS.toLocaleString('en-US')} values`);
  v.forEach((x, i) => {
    if (!isNum(x)) say(`${path}[${i}]`, 'must be a number');
    else if (x < min || x > max) say(`${path}[${i}]`, `must be between ${min} and ${max}`);
  });
  if (new Set(v).size !== v.length) say(path, 'lists a value twice');
}

function checkProfiles(v: unknown, say: Say): void {
  if (!Array.isArray(v)) return say('plan.profiles', v === undefined ? 'is required' : 'must be an array');
  if (v.length === 0) return say('plan.profiles', 'empty axis: name at least one profile');
  const seen = new Set<string>();
  v.forEach((x, i) => {
    const p = `plan.profiles[${i}]`;
    if (!isObj(x)) return say(p, 'must be an object');
    unknown(x, p, ['profile', 'options', 'knob'], say);
    if (typeof x.profile !== 'string') return say(`${p}.profile`, 'is required');
    const def = profileInfo(x.profile);
    if (!def) return say(`${p}.profile`, `unknown profile "${x.profile.slice(0, 80)}" (known: ${PROFILE_CATALOG.map((d) => d.name).join(', ')})`);
    if (seen.has(x.profile)) say(`${p}.profile`, `${x.profile} is listed twice (sweep its options with knob instead)`);
    seen.add(x.profile);
    if (x.options !== undefined) {
      if (!isObj(x.options)) say(`${p}.options`, 'must be an object');
      else errors(checkProfileOptions(def, x.options, `${p}.options`), say);
    }
    if (x.knob === undefined) return;
    const k = x.knob;
    if (!isObj(k)) return say(`${p}.knob`, 'must be an object { key, values }');
    unknown(k, `${p}.knob`, ['key', 'values'], say);
    if (typeof k.key !== 'string' || !def.knobs.some((d) => d.key === k.key)) {
      return say(`${p}.knob.key`, `${def.name} has no knob ${JSON.stringify(k.key)?.slice(0, 80)} (known: ${def.knobs.map((d) => d.key).join(', ') || 'none'})`);
    }
    if (isObj(x.options) && k.key in x.options) say(`${p}.knob.key`, `${k.key} is also fixed in options; give it in one place`);
    if (!Array.isArray(k.values)) return say(`${p}.knob.values`, 'must be an array');
    if (k.values.length === 0) return say(`${p}.knob.values`, 'empty axis: list at least one value');
    if (k.values.length > MAX_PLAN_AXIS) return say(`${p}.knob.values`, `at most ${MAX_PLAN_AXIS.toLocaleString('en-US')} values`);
    k.values.forEach((val, j) => errors(checkProfileOptions(def, { [k.key as string]: val }, `${p}.knob.values[${j}]`).map((m) => m.replace(`[${j}].${k.key as string}:`, `[${j}]:`)), say));
  });
}

function errors(list: string[], say: Say): void {
  for (const m of list) {
    const at = m.indexOf(': ');
    say(m.slice(0, at), m.slice(at + 2));
  }
}

function checkScale(v: unknown, poolNames: ReadonlySet<string>, say: Say): void {
  if (v === undefined) return;
  if (!isObj(v)) return say('plan.scale', 'must be an object with factors or poolCounts');
  unknown(v, 'plan.scale', ['factors', 'poolCounts'], say);
  if (v.factors !== undefined && v.poolCounts !== undefined) return say('plan.scale', 'give factors or poolCounts, not both');
  if (v.factors === undefined && v.poolCounts === undefined) return say('plan.scale', 'empty axis: give factors (e.g. { "from": 0.5, "to": 2, "step": 0.25 }) or poolCounts');
  if (v.factors !== undefined) {
    if (Array.isArray(v.factors)) numberList(v.factors, 'plan.scale.factors', 0.001, 1000, say);
    else checkRange(v.factors, 'plan.scale.factors', say);
    return;
  }
  const pc = v.poolCounts;
  if (!isObj(pc)) return say('plan.scale.poolCounts', 'must be an object: pool name → node counts');
  if (Object.keys(pc).length === 0) return say('plan.scale.poolCounts', 'empty axis: give node counts for at least one pool');
  for (const [name, counts] of Object.entries(pc)) {
    const p = `plan.scale.poolCounts.${name}`;
    if (!poolNames.has(name)) say(p, `no pool named "${name.slice(0, 80)}" (pools: ${[...poolNames].join(', ')})`);
    if (!Array.isArray(counts)) {
      say(p, 'must be an array of node counts');
      continue;
    }
    if (counts.length === 0) say(p, 'empty axis: list at least one node count');
    counts.forEach((c, i) => {
      if (!Number.isInteger(c) || (c as number) < 0 || (c as number) > 100_000) say(`${p}[${i}]`, 'must be an integer between 0 and 100000');
    });
    if (new Set(counts).size !== counts.length) say(p, 'lists a count twice');
  }
}

function checkRange(v: unknown, path: string, say: Say): void {
  if (!isObj(v)) return say(path, 'must be a list of numbers or a range { from, to, step }');
  unknown(v, path, ['from', 'to', 'step'], say);
  for (const k of ['from', 'to', 'step']) if (!isNum(v[k])) say(`${path}.${k}`, v[k] === undefined ? 'is required' : 'must be a number');
  if (!isNum(v.from) || !isNum(v.to) || !isNum(v.step)) return;
  if (v.from <= 0) say(`${path}.from`, 'must be above 0');
  if (v.step <= 0) return say(`${path}.step`, 'must be above 0');
  if (v.to < v.from) return say(path, `empty axis: to (${v.to}) is below from (${v.from})`);
  if (v.to > 1000) say(`${path}.to`, 'must be at most 1000');
  if ((v.to - v.from) / v.step + 1 > MAX_PLAN_AXIS) say(path, `more than ${MAX_PLAN_AXIS.toLocaleString('en-US')} values`);
}

function checkSeeds(v: unknown, say: Say): void {
  if (v === undefined) return;
  const seedOk = (x: unknown): boolean => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 0xffffffff;
  if (Array.isArray(v)) {
    if (v.length === 0) return say('plan.seeds', 'empty axis: list at least one seed');
    if (v.length > MAX_PLAN_AXIS) return say('plan.seeds', `at most ${MAX_PLAN_AXIS.toLocaleString('en-US')} seeds`);
    v.forEach((x, i) => {
      if (!seedOk(x)) say(`plan.seeds[${i}]`, 'must be an integer between 0 and 4294967295');
    });
    if (new Set(v).size !== v.length) say('plan.seeds', 'lists a seed twice');
    return;
  }
  if (!isObj(v)) return say('plan.seeds', 'must be a list of seeds or a range { from, to }');
  unknown(v, 'plan.seeds', ['from', 'to'], say);
  if (!seedOk(v.from)) return say('plan.seeds.from', 'must be an integer between 0 and 4294967295');
  if (!seedOk(v.to)) return say('plan.seeds.to', 'must be an integer between 0 and 4294967295');
  if ((v.to as number) < (v.from as number)) return say('plan.seeds', `empty axis: to (${String(v.to)}) is below from (${String(v.from)})`);
  if ((v.to as number) - (v.from as number) + 1 > MAX_PLAN_AXIS) say('plan.seeds', `at most ${MAX_PLAN_AXIS.toLocaleString('en-US')} seeds`);
}

function checkTargets(v: unknown, say: Say): void {
  if (!isObj(v)) return say('plan.targets', v === undefined ? 'is required' : 'must be an object');
  unknown(v, 'plan.targets', ['sloAttainmentPct', 'p95WaitS', 'trainingSlowdown', 'nothingPending', 'maxCostPerHourUsd'], say);
  const num = (k: string): number | null => {
    const x = v[k];
    if (x === undefined) return null;
    if (!isNum(x)) {
      say(`plan.targets.${k}`, 'must be a number');
      return null;
    }
    return x;
  };
  const slo = num('sloAttainmentPct');
  if (slo !== null && (slo < 0 || slo > 100)) say('plan.targets.sloAttainmentPct', `impossible: attainment is a share between 0 and 100 %, got ${slo}`);
  const wait = num('p95WaitS');
  if (wait !== null && wait < 0) say('plan.targets.p95WaitS', `impossible: a wait cannot be negative, got ${wait}`);
  const slow = num('trainingSlowdown');
  if (slow !== null && slow < 1) say('plan.targets.trainingSlowdown', `impossible: slowdown is JCT over the ideal run time, never below 1, got ${slow}`);
  const cost = num('maxCostPerHourUsd');
  if (cost !== null && cost <= 0) say('plan.targets.maxCostPerHourUsd', `impossible: must be above 0, got ${cost}`);
  if (v.nothingPending !== undefined && typeof v.nothingPending !== 'boolean') say('plan.targets.nothingPending', 'must be true or false');
  const set = ['sloAttainmentPct', 'p95WaitS', 'trainingSlowdown', 'maxCostPerHourUsd'].some((k) => v[k] !== undefined) || v.nothingPending === true;
  if (!set) say('plan.targets', 'set at least one target (sloAttainmentPct, p95WaitS, trainingSlowdown, nothingPending, maxCostPerHourUsd)');
}
