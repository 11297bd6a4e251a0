/** The import report: what was mapped, what was approximated and what was left out, as the app and CLI show it. */

export interface ImportReport {
  /** One line per kind of thing mapped (`12 nodes → 3 pools`). */
  summary: string[];
  /** Each approximation, naming the object where it is about one. */
  approximated: string[];
  /** Each object or field left out, and why. */
  ignored: string[];
  /** Real node name → the simulator's node name. */
  nodeNames: Record<string, string>;
}

/** An empty report. */
export function emptyReport(): ImportReport {
  return { summary: [], approximated: [], ignored: [], nodeNames: {} };
}

/** The report as text, long lists cut to `maxLines` each. */
export function formatReport(r: ImportReport, maxLines = 20): string {
  const section = (title: string, lines: string[]) => {
    if (lines.length === 0) return [];
    const shown = lines.slice(0, maxLines).map((l) => `  ${l}`);
    if (lines.length > maxLines) shown.push(`  ... and ${lines.length - maxLines} more`);
    return [`${title} (${lines.length}):`, ...shown];
  };
  return [...section('mapped', r.summary), ...section('approximated', r.approximated), ...section('ignored', r.ignored)].join('\n');
}
