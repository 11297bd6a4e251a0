/**
 * `slicebench export <scenario.json> --as kwok|k8s|hami|volcano|kuberay [-o dir]`: the manifests that run a
 * scenario on a real or KWOK cluster. Without -o: one multi-document YAML stream of objects on stdout (ready for
 * `kubectl apply -f -`); with -o: one file per kind plus the scheduler's configuration files. Notes on what was
 * left out or approximated go to stderr.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EXPORT_TARGETS, type ExportTarget } from '../../io/export/exportContext.ts';
import { exportFiles, exportManifests, toYamlStream } from '../../io/export/exportManifests.ts';
import { InputError } from '../io.ts';
import type { Command } from '../main.ts';
import { loadScenarioFile } from '../scenarioFile.ts';

export const exportCommand: Command = {
  name: 'export',
  usage: `export <scenario.json> --as ${EXPORT_TARGETS.join('|')} [-o dir]`,
  summary: 'Write the scenario as Kubernetes manifests (KWOK nodes, workloads, queues, scheduler config): YAML on stdout, or one file per kind in -o dir.',
  options: {
    as: { type: 'string' },
    output: { type: 'string', short: 'o' },
  },
  run(positionals, values, io) {
    if (positionals.length !== 1) throw new InputError('expects exactly one scenario file');
    const target = values.as as string | undefined;
    if (!target) throw new InputError(`--as is required (one of ${EXPORT_TARGETS.join(', ')})`);
    if (!EXPORT_TARGETS.includes(target as ExportTarget)) throw new InputError(`--as: must be one of ${EXPORT_TARGETS.join(', ')}, got "${target}"`);
    const scenario = loadScenarioFile(positionals[0]);
    const r = exportManifests(scenario, target as ExportTarget);
    const dir = values.output as string | undefined;
    const lines: string[] = [];
    if (dir) {
      mkdirSync(dir, { recursive: true });
      const files = exportFiles(r);
      for (const f of files) {
        mkdirSync(dirname(join(dir, f.name)), { recursive: true });
        writeFileSync(join(dir, f.name), f.text);
      }
      lines.push(`${r.objects.length} objects → ${dir}: ${files.map((f) => f.name).join(', ')}`);
    } else {
      io.out(toYamlStream(r.objects));
      if (r.files.length) lines.push(`not in the stream (use -o <dir>): ${r.files.map((f) => f.name).join(', ')}`);
    }
    for (const n of r.notes) lines.push(`note: ${n}`);
    if (lines.length) io.err(lines.join('\n'));
    return 0;
  },
};
