/** The top bar: title, preset picker, import, engine badge (with the engine choice in its panel), theme, help, and registered extension items. */
import { createSignal, For, onMount, type JSX } from 'solid-js';
import { fetchPreset, fetchPresetList, type PresetEntry } from '../presets.ts';
import { toolbarItems } from '../slots.ts';
import type { Workbench } from '../stores/workbench.ts';
import { EngineBadge } from './EngineBadge.tsx';
import { EngineChoiceControl } from './EngineChoiceControl.tsx';
import { OpenbImportButton } from './OpenbImportDialog.tsx';
import { ClusterMenu } from './ClusterMenu.tsx';

export interface ToolbarProps {
  wb: Workbench;
  theme: 'dark' | 'light';
  onTheme: () => void;
  onHelp: () => void;
  preset: string;
  onPreset: (id: string) => void;
}

/** Application toolbar. */
export function Toolbar(props: ToolbarProps): JSX.Element {
  const [presets, setPresets] = createSignal<PresetEntry[]>([]);
  let file!: HTMLInputElement;
  onMount(() => void fetchPresetList().then(setPresets));
  const choose = async (id: string): Promise<void> => {
    const p = presets().find((x) => x.id === id);
    if (!p) return;
    try {
      props.wb.pause();
      if (await props.wb.load(await fetchPreset(p.file), `Preset ${p.id}`)) props.onPreset(p.id);
    } catch (e) {
      props.wb.showError(`Preset ${p.id}: not loaded — the current scenario is kept.`, [(e as Error).message]);
    }
  };
  return (
    <header class="toolbar">
      <h1>
        Slicebench <span class="tagline">where the GPUs go</span>
      </h1>
      <label class="field inline">
        <span class="field-label">Preset</span>
        <select aria-label="Preset scenario" value={props.preset} onChange={(e) => void choose(e.currentTarget.value)}>
          <option value="" disabled selected={!props.preset}>
            (custom)
          </option>
          <For each={presets()}>{(p) => <option value={p.id} selected={p.id === props.preset}>{p.id}</option>}</For>
        </select>
      </label>
      <button type="button" onClick={() => file.click()}>
        Import scenario…
      </button>
      <input
        ref={file}
        type="file"
        accept=".json,application/json"
        class="visually-hidden"
        aria-label="Import scenario JSON file"
        tabindex="-1"
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (f) void f.text().then((t) => props.wb.importText(t, f.name)).then((ok) => ok && props.onPreset(''));
        }}
      />
      <OpenbImportButton short="Trace…" />
      <ClusterMenu wb={props.wb} onLoaded={() => props.onPreset('')} />
      <For each={toolbarItems}>{(item) => item(props.wb)}</For>
      <span class="spacer" />
      <EngineBadge reason={props.wb.engine()}>
        <EngineChoiceControl wb={props.wb} />
      </EngineBadge>
      <button type="button" aria-pressed={props.theme === 'light'} aria-label="Light theme" onClick={() => props.onTheme()}>
        {props.theme === 'light' ? '☾ Dark' : '☀ Light'}
      </button>
      <button type="button" aria-label="Keyboard shortcuts" aria-keyshortcuts="?" onClick={() => props.onHelp()}>
        ?
      </button>
    </header>
  );
}
