/**
 * Runs a file of conformance vectors: checks its shape, picks the adapter (by the file's base name, else by
 * asking each adapter per case), runs every case, and counts passed / failed / unsupported. A case no adapter
 * supports is `unsupported`, never passed; an adapter that throws on a case fails that case.
 */
import { ADAPTERS } from './adapters.ts';
import type { CaseStatus, ConformanceAdapter, ConformanceCase } from './types.ts';

/** One case's result as the CLI reports it. */
export interface CaseReport {
  id: string;
  status: CaseStatus;
  detail: string;
}

/** The result of a whole file. */
export interface ConformanceReport {
  passed: number;
  failed: number;
  unsupported: number;
  cases: CaseReport[];
}

/** Checks that parsed JSON is an array of cases; returns the cases or messages naming the bad entries. */
export function parseCases(json: unknown): { ok: true; cases: ConformanceCase[] } | { ok: false; errors: string[] } {
  if (!Array.isArray(json)) return { ok: false, errors: ['expected a JSON array of cases'] };
  const errors: string[] = [];
  json.forEach((c: unknown, i) => {
    if (c === null || typeof c !== 'object' || Array.isArray(c)) {
      errors.push(`[${i}]: expected an object`);
      return;
    }
    const o = c as Record<string, unknown>;
    if (typeof o.id !== 'string' || o.id === '') errors.push(`[${i}].id: must be a non-empty string`);
    if (o.input === null || typeof o.input !== 'object' || Array.isArray(o.input)) errors.push(`[${i}].input: must be an object`);
    if (o.expected === null || typeof o.expected !== 'object' || Array.isArray(o.expected)) errors.push(`[${i}].expected: must be an object`);
  });
  return errors.length ? { ok: false, errors } : { ok: true, cases: json as ConformanceCase[] };
}

/** The adapter whose project is the file's base name (`hami.json` → `hami`), if any. */
export function adapterForFile(path: string, adapters: readonly ConformanceAdapter[] = ADAPTERS): ConformanceAdapter | undefined {
  const base = path.replace(/\\/g, '/').split('/').pop() ?? '';
  const project = base.replace(/\.json$/i, '');
  return adapters.find((a) => a.project === project);
}

/** Runs one case: with `adapter` only that one is asked, else the first adapter that supports the case. */
export function runCase(c: ConformanceCase, adapter: ConformanceAdapter | undefined, adapters: readonly ConformanceAdapter[] = ADAPTERS): CaseReport {
  const chosen = adapter ? (adapter.supports(c) ? adapter : undefined) : adapters.find((a) => a.supports(c));
  if (!chosen) {
    const what = c.input.function ?? c.input.strategy ?? '(no function)';
    return { id: c.id, status: 'unsupported', detail: `no adapter models ${String(what)}` };
  }
  try {
    const o = chosen.run(c);
    return { id: c.id, status: o.status, detail: o.detail };
  } catch (e) {
    return { id: c.id, status: 'fail', detail: `${chosen.project} adapter threw: ${(e as Error).message}` };
  }
}

/** Runs every case and counts the outcomes. `path` (the cases file) selects the adapter by its base name. */
export function runCases(cases: readonly ConformanceCase[], path?: string, adapters: readonly ConformanceAdapter[] = ADAPTERS): ConformanceReport {
  const adapter = path === undefined ? undefined : adapterForFile(path, adapters);
  const report: ConformanceReport = { passed: 0, failed: 0, unsupported: 0, cases: [] };
  for (const c of cases) {
    const r = runCase(c, adapter, adapters);
    if (r.status === 'pass') report.passed++;
    else if (r.status === 'fail') report.failed++;
    else report.unsupported++;
    report.cases.push(r);
  }
  return report;
}
