/**
 * `slicebench import <snapshot> [-o scenario.json] [--profile <name>] [--name <text>]`: a cluster snapshot
 * (`kubectl get nodes,pods -A -o json`, or YAML) → a scenario. The scenario goes to stdout (so it pipes into
 * `slicebench run /dev/stdin`) or to the -o file; the report of what was mapped, approximated and ignored always
 * goes to stderr. Bad input: exit 2 with the object and field named.
 */
import { writeFileSync } from 'node:fs';
import { importKubeSnapshot } from '../../io/kube/importSnapshot.ts';
import { formatReport } from '../../io/kube/report.ts';
import { KubeImportError } from '../../io/kube/snapshot.ts';
import { parseScenario } from '../../scenario/validate.ts';
import { InputError, readText } from '../io.ts';
import type { Command } from '../main.ts';

export const importCommand: Command = {
  name: 'import',
  usage: 'import <snapshot.json|yaml> [-o scenario.json] [--profile <name>] [--name <text>]',
  summary: 'Turn a kubectl snapshot (kubectl get nodes,pods -A -o json) into a scenario; the report goes to stderr.',
  options: {
    output: { type: 'string', short: 'o' },
    profile: { type: 'string' },
    name: { type: 'string' },
  },
  run(positionals, values, io) {
    if (positionals.length !== 1) throw new InputError('expects exactly one snapshot file');
    const path = positionals[0];
    let result: ReturnType<typeof importKubeSnapshot>;
    try {
      result = importKubeSnapshot(readText(path), { file: path, profile: values.profile as string | undefined, name: values.name as string | undefined });
    } catch (e) {
      if (e instanceof KubeImportError) throw new InputError(`${path}: ${e.message}`);
      throw e;
    }
    const checked = parseScenario(JSON.parse(JSON.stringify(result.scenario)));
    if (!checked.ok) throw new InputError(`${path}: the imported scenario is not valid:\n  ${checked.errors.slice(0, 25).join('\n  ')}`);
    const json = JSON.stringify(result.scenario, null, 2);
    const out = values.output as string | undefined;
    if (out) writeFileSync(out, json + '\n');
    else io.out(json);
    io.err(`${path}: imported${out ? ` → ${out}` : ''}\n${formatReport(result.report)}`);
    return 0;
  },
};
