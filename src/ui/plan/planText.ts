/**
 * The plan editor's text fields: a list of numbers typed as `0.5, 1, 2`, a range `1..20` (integers, step 1) or a
 * stepped range `0.5..2:0.25`, parsed into values with a message that names what is wrong, and written back the
 * same way. Pure, unit-tested in test/ui/planText.test.ts. Ranges expand as the scenario's plan ranges do
 * (scenario/planSpec.ts rangeValues).
 */
import { rangeValues } from '../../scenario/planSpec.ts';

/** What a field accepts. */
export interface ListRules {
  integer?: boolean;
  /** Smallest and largest value allowed (inclusive). */
  min?: number;
  max?: number;
  /** Most values the list may expand to. */
  maxValues?: number;
}

export type ListResult = { ok: true; values: number[] } | { ok: false; error: string };

const NUM = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)`;
const RANGE = new RegExp(`^(${NUM})\\s*\\.\\.\\s*(${NUM})(?:\\s*:\\s*(${NUM}))?$`);

/** Parses `a, b, c`, `a..b` or `a..b:step` into numbers (ascending for ranges); the error says what to type. */
export function parseNumberList(text: string, rules: ListRules = {}): ListResult {
  const t = text.trim();
  const maxValues = rules.maxValues ?? 1000;
  if (t === '') return { ok: false, error: 'is empty: type at least one value' };
  let values: number[];
  const r = RANGE.exec(t);
  if (r) {
    const from = Number(r[1]);
    const to = Number(r[2]);
    const step = r[3] === undefined ? 1 : Number(r[3]);
    if (!(step > 0)) return { ok: false, error: `step ${r[3]} must be greater than 0` };
    if (to < from) return { ok: false, error: `range ${from}..${to} ends before it starts` };
    const n = Math.floor((to - from) / step + 1e-9) + 1;
    if (n > maxValues) return { ok: false, error: `range ${t} has ${n} values (at most ${maxValues})` };
    values = rangeValues({ from, to, step });
  } else {
    const parts = t.split(/[\s,;]+/).filter(Boolean);
    values = [];
    for (const p of parts) {
      if (!new RegExp(`^${NUM}$`).test(p)) return { ok: false, error: `"${p.slice(0, 40)}" is not a number (type e.g. 1, 2, 4 or 0.5..2:0.25)` };
      values.push(Number(p));
    }
    if (values.length > maxValues) return { ok: false, error: `has ${values.length} values (at most ${maxValues})` };
  }
  for (const v of values) {
    if (rules.integer && !Number.isInteger(v)) return { ok: false, error: `${v} must be a whole number` };
    if (rules.min !== undefined && v < rules.min) return { ok: false, error: `${v} is below ${rules.min}` };
    if (rules.max !== undefined && v > rules.max) return { ok: false, error: `${v} is above ${rules.max}` };
  }
  const seen = new Set<number>();
  for (const v of values) {
    if (seen.has(v)) return { ok: false, error: `${v} appears twice` };
    seen.add(v);
  }
  return { ok: true, values };
}

/** Writes values back as a field shows them: `a..b` for consecutive integers (3 or more), else `a, b, c`. */
export function formatNumberList(values: readonly number[]): string {
  const n = values.length;
  if (n >= 3 && values.every((v, i) => Number.isInteger(v) && (i === 0 || v === values[i - 1] + 1))) return `${values[0]}..${values[n - 1]}`;
  return values.join(', ');
}
