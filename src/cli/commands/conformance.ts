/**
 * `slicebench conformance <cases.json> [--json]`: runs an upstream project's test vectors through our plugins.
 * Prints one line per failing case and `N passed, N failed, N unsupported`; exit 0 when nothing fails, 1 when
 * a case fails, 2 on bad input.
 */
import { parseCases, runCases } from '../../conformance/runner.ts';
import { InputError, MAX_SCENARIO_BYTES, parseJsonText, readText } from '../io.ts';
import type { Command } from '../main.ts';

export const conformanceCommand: Command = {
  name: 'conformance',
  usage: 'conformance <cases.json> [--json]',
  summary: "Run an upstream scheduler's own test vectors (../shared/conformance/*.json) through our plugins.",
  options: { json: { type: 'boolean' } },
  run(positionals, values, io) {
    if (positionals.length !== 1) throw new InputError('expected exactly one cases file');
    const path = positionals[0];
    const parsed = parseCases(parseJsonText(readText(path, MAX_SCENARIO_BYTES), path));
    if (!parsed.ok) throw new InputError(`${path}: ${parsed.errors.slice(0, 5).join('; ')}${parsed.errors.length > 5 ? ` (and ${parsed.errors.length - 5} more)` : ''}`);
    const report = runCases(parsed.cases, path);
    if (values.json) {
      io.out(JSON.stringify(report));
    } else {
      const lines = report.cases.filter((c) => c.status === 'fail').map((c) => `FAIL ${c.id}: ${c.detail}`);
      lines.push(`${report.passed} passed, ${report.failed} failed, ${report.unsupported} unsupported`);
      io.out(lines.join('\n'));
    }
    return report.failed > 0 ? 1 : 0;
  },
};
