/**
 * The toolbar's cluster menu (a ⎈ icon button named "Cluster import and export": the toolbar keeps one row): "Import cluster…" opens
 * ClusterImportDialog; "Export as …" downloads the current scenario as Kubernetes manifests for one target (KWOK nodes, k8s, HAMi, Volcano,
 * KubeRay), downloaded as one multi-document YAML file; the scheduler's configuration files follow as extra
 * documents, and the notes (what could not be expressed) are shown. The exporter (src/io/export/) loads on demand.
 */
import { createSignal, For, Show, type JSX } from 'solid-js';
import { unwrap } from 'solid-js/store';
import type { ExportTarget } from '../../io/export/exportContext.ts';
import type { Workbench } from '../stores/workbench.ts';
import { ClusterImportDialog } from './ClusterImportDialog.tsx';
import './ClusterMenu.css';

/** Targets and what each writes (kept here so the menu does not pull the exporter into the first screen). */
const TARGETS: readonly { id: ExportTarget; label: string; what: string }[] = [
  { id: 'kwok', label: 'KWOK nodes', what: 'fake nodes with GPU capacity and labels' },
  { id: 'k8s', label: 'Kubernetes', what: 'nodes, Jobs, Deployments, kube-scheduler config' },
  { id: 'hami', label: 'HAMi', what: 'as Kubernetes, with GPU shares and HAMi values' },
  { id: 'volcano', label: 'Volcano', what: 'Queues, PodGroups, vcjobs, scheduler.conf' },
  { id: 'kuberay', label: 'KubeRay', what: 'nodes and RayClusters' },
];

/** The toolbar's cluster menu: import a snapshot, export manifests. */
export function ClusterMenu(props: { wb: Workbench; onLoaded?: () => void }): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const [notes, setNotes] = createSignal<string[]>([]);
  const [importing, setImporting] = createSignal(false);
  let button!: HTMLButtonElement;

  const download = async (target: ExportTarget): Promise<void> => {
    const { exportManifests, toYamlStream } = await import('../../io/export/exportManifests.ts');
    const scenario = structuredClone(unwrap(props.wb.scenario));
    let r: ReturnType<typeof exportManifests>;
    try {
      r = exportManifests(scenario, target);
    } catch (e) {
      props.wb.showError('Export: the scenario could not be exported.', [(e as Error).message]);
      return;
    }
    const config = r.files.map((f) => `# ${f.name} (a configuration file, not an object: save it separately)\n${f.text.replace(/^/gm, '# ')}`).join('\n');
    const text = toYamlStream(r.objects) + (config ? `---\n${config}\n` : '');
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
    a.download = `${scenario.name.replace(/[^A-Za-z0-9._-]+/g, '-') || 'scenario'}-${target}.yaml`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    setNotes(r.notes);
  };

  return (
    <span class="cluster-menu">
      <button ref={button} type="button" aria-haspopup="menu" aria-expanded={open()} aria-label="Cluster import and export" title="Import a cluster snapshot, export Kubernetes manifests" onClick={() => setOpen(!open())}>
        <span aria-hidden="true">⎈</span>
      </button>
      <Show when={open()}>
        <div class="dialog cluster-menu-list" role="menu" aria-label="Cluster import and export" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              setOpen(false);
              setImporting(true);
            }}
          >
            Import cluster…
          </button>
          <For each={TARGETS}>
            {(t) => (
              <button type="button" role="menuitem" title={t.what} onClick={() => void download(t.id)}>
                Export as {t.label}
              </button>
            )}
          </For>
          <Show when={notes().length > 0}>
            <ul class="hint" aria-label="Export notes">
              <For each={notes().slice(0, 20)}>{(n) => <li>{n}</li>}</For>
            </ul>
          </Show>
        </div>
      </Show>
      <Show when={importing()}>
        <ClusterImportDialog
          wb={props.wb}
          onLoaded={props.onLoaded}
          onClose={() => {
            setImporting(false);
            // Focus goes back to the menu button the dialog was opened from.
            queueMicrotask(() => button.focus());
          }}
        />
      </Show>
    </span>
  );
}
