/**
 * "Import cluster…": a `kubectl get nodes,pods -A -o json` snapshot (a file, or pasted JSON/YAML) becomes a
 * scenario in a worker (src/worker/kubeImportWorker.ts: the page stays responsive, with progress), the report of
 * what was mapped, approximated and ignored is shown, and only "Load this scenario" replaces the current one.
 * Nothing is uploaded; secrets and environment values are never read (docs/clusters.md).
 */
import { createSignal, For, onCleanup, onMount, Show, type JSX } from 'solid-js';
import type { KubeImportReply } from '../../io/kube/importMessages.ts';
import type { ImportReport } from '../../io/kube/report.ts';
import type { Scenario } from '../../scenario/types.ts';
import type { Workbench } from '../stores/workbench.ts';

/** The dialog; the cluster menu mounts it while open and unmounts it on `onClose`. */
export function ClusterImportDialog(props: { wb: Workbench; onLoaded?: () => void; onClose: () => void }): JSX.Element {
  const [file, setFile] = createSignal<File | null>(null);
  const [pasted, setPasted] = createSignal('');
  const [progress, setProgress] = createSignal<number | null>(null);
  const [problems, setProblems] = createSignal<string[]>([]);
  const [result, setResult] = createSignal<{ scenario: Scenario; report: ImportReport; source: string } | null>(null);
  let worker: Worker | null = null;
  let dialog!: HTMLDivElement;

  const stop = (): void => {
    worker?.terminate();
    worker = null;
    setProgress(null);
  };
  const close = (): void => {
    stop();
    props.onClose();
  };

  const read = async (e: Event): Promise<void> => {
    e.preventDefault();
    const f = file();
    const text = f ? await f.text() : pasted();
    const source = f ? f.name : 'pasted snapshot';
    if (text.trim() === '') {
      setProblems(['Choose a snapshot file or paste one.']);
      return;
    }
    stop();
    setProblems([]);
    setResult(null);
    setProgress(0);
    worker = new Worker(new URL('../../worker/kubeImportWorker.ts', import.meta.url), { type: 'module', name: 'slicebench-kube-import' });
    worker.onmessage = (m: MessageEvent<KubeImportReply>) => {
      const r = m.data;
      if (r.type === 'progress') setProgress(r.fraction);
      else {
        stop();
        if (r.type === 'done') setResult({ scenario: r.scenario, report: r.report, source });
        else setProblems([`Not imported — the current scenario is kept.`, ...r.problems.slice(0, 25)]);
      }
    };
    worker.onerror = (err) => {
      stop();
      setProblems([`Not imported — the current scenario is kept. ${err.message}`]);
    };
    worker.postMessage({ text, file: source });
  };

  const accept = async (): Promise<void> => {
    const r = result();
    if (!r) return;
    props.wb.pause();
    if (await props.wb.open(r.scenario, `Cluster import of ${r.source}`)) {
      props.onLoaded?.();
      close();
    } else setProblems(props.wb.errors()?.items ?? ['The scenario was refused — the current one is kept.']);
  };

  const onKey = (e: KeyboardEvent): void => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  };
  onMount(() => {
    dialog.addEventListener('keydown', onKey);
    dialog.querySelector<HTMLElement>('input')?.focus();
  });
  onCleanup(() => {
    dialog?.removeEventListener('keydown', onKey);
    stop();
  });

  const section = (title: string, lines: string[]): JSX.Element => (
    <Show when={lines.length > 0}>
      <h3>
        {title} ({lines.length})
      </h3>
      <ul>
        <For each={lines.slice(0, 50)}>{(l) => <li>{l}</li>}</For>
        <Show when={lines.length > 50}>
          <li>… and {lines.length - 50} more</li>
        </Show>
      </ul>
    </Show>
  );

  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && close()}>
      <div ref={dialog} class="dialog" role="dialog" aria-modal="true" aria-labelledby="kube-import-title" aria-busy={progress() !== null}>
        <h2 id="kube-import-title">Import a cluster snapshot</h2>
        <p class="hint">
          The output of <code>kubectl get nodes,pods,priorityclasses -A -o json</code> (or YAML). It is read in this tab; nothing is uploaded, and secrets and
          environment values are never read.
        </p>
        <form onSubmit={(e) => void read(e)}>
          <label class="field">
            <span class="field-label">Snapshot file</span>
            <input type="file" accept=".json,.yaml,.yml,application/json" aria-label="Cluster snapshot file" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
          </label>
          <label class="field">
            <span class="field-label">…or paste it</span>
            <textarea rows="5" aria-label="Pasted cluster snapshot" value={pasted()} onInput={(e) => setPasted(e.currentTarget.value)} />
          </label>
          <div class="row actions">
            <span class="hint" aria-live="polite">
              {progress() !== null ? `Reading… ${Math.round((progress() ?? 0) * 100)}%` : ''}
            </span>
            <Show when={progress() !== null}>
              <progress max="1" value={progress() ?? 0} aria-label="Import progress" />
            </Show>
            <button type="submit" disabled={progress() !== null}>
              Read snapshot
            </button>
          </div>
        </form>
        <Show when={problems().length > 0}>
          <div role="alert">
            <ul>
              <For each={problems()}>{(m) => <li>{m}</li>}</For>
            </ul>
          </div>
        </Show>
        <Show when={result()}>
          {(r) => (
            <section aria-label="Import report">
              {section('Mapped', r().report.summary)}
              {section('Approximated', r().report.approximated)}
              {section('Ignored', r().report.ignored)}
            </section>
          )}
        </Show>
        <div class="row actions">
          <button type="button" class="primary" disabled={!result()} onClick={() => void accept()}>
            Load this scenario
          </button>
          <button type="button" onClick={() => close()}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
