/**
 * The openb files behind the paper grid: the node list and pod list(s) of the last "replay as the FGD paper does"
 * import (OpenbImportDialog sets them), plus any pod lists added in the paper grid panel (the 17 traces). Kept in
 * the tab only; nothing is uploaded. Small and d3-free: the import dialog on the first screen writes it.
 */
import { createSignal } from 'solid-js';

/** One trace of the grid: a name, the node list's CSV text and a pod list's CSV text. */
export interface PaperTraceSource {
  name: string;
  nodesCsv: string;
  podsCsv: string;
}

const [paperTraces, setPaperTraces] = createSignal<PaperTraceSource[]>([]);

/** The traces the paper grid replays (empty until an openb replay import). */
export { paperTraces };

/** Starts over from an import: its node list and pod list. */
export function setPaperImport(name: string, nodesCsv: string, podsCsv: string): void {
  setPaperTraces([{ name, nodesCsv, podsCsv }]);
}

/** Adds pod lists (replayed on the imported node list); a name already there is replaced. */
export function addPaperPodLists(lists: readonly { name: string; podsCsv: string }[]): void {
  const cur = paperTraces();
  if (cur.length === 0) return;
  const nodesCsv = cur[0].nodesCsv;
  const next = cur.filter((t) => !lists.some((l) => l.name === t.name));
  setPaperTraces([...next, ...lists.map((l) => ({ name: l.name, nodesCsv, podsCsv: l.podsCsv }))]);
}
