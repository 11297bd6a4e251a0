/**
 * The top bar: title, preset picker, import, undo/redo, share, export, gallery, claim, present, engine badge
 * (with the engine choice in its panel), theme, help.
 */
import { For, type JSX } from 'solid-js';
import { PresentButton } from '../present/Presenter.tsx';
import { shareCtx } from '../share/controller.ts';
import { ClaimChip, ExportMenu, GalleryLink, ShareButton, UndoRedo } from '../share/ShareTools.tsx';
import type { Workbench } from '../stores/workbench.ts';
import { EngineBadge } from './EngineBadge.tsx';
import { EngineChoiceControl } from './EngineChoiceControl.tsx';
import { OpenbImportButton } from './OpenbImportDialog.tsx';
import { ClusterMenu } from './ClusterMenu.tsx';
import { BLANK_OPTION, blankScenario } from '../lib/blankScenario.ts';
import { editedPresetLabel } from '../lib/presetLabel.ts';

export interface ToolbarProps {
  wb: Workbench;
  theme: 'dark' | 'light';
  onTheme: () => void;
  onHelp: () => void;
  /** The Run / Plan mode switch (plan/ModeSwitch.tsx). */
  modeSwitch?: JSX.Element;
}

/** Application toolbar. */
export function Toolbar(props: ToolbarProps): JSX.Element {
  let file!: HTMLInputElement;
  const presets = () => shareCtx()?.manifest() ?? [];
  // The picker names the preset the scenario on screen is exactly; after an edit it reads "<title> (edited)", after
  // an import or "New (blank)" "(custom)".
  const preset = () => shareCtx()?.current()?.entry.id ?? '';
  const notPreset = (): string => {
    const c = shareCtx();
    c?.version(); // the workspace's preset base is no signal: its version is
    return editedPresetLabel(presets(), c?.wb.ws.presetId ?? null, props.wb.scenario.name);
  };
  return (
    <header class="toolbar">
      <h1>
        Slicebench <span class="tagline">where the GPUs go</span>
      </h1>
      {props.modeSwitch}
      <label class="field inline">
        <span class="field-label">Preset</span>
        <select
          class="preset-picker"
          aria-label="Preset scenario"
          value={preset()}
          onChange={(e) => {
            const v = e.currentTarget.value;
            if (v === BLANK_OPTION) {
              // The picker reads "(custom)" once the blank scenario is open (it is no preset).
              e.currentTarget.value = '';
              void props.wb.open(blankScenario(), 'New (blank)');
            } else void shareCtx()?.openPreset(v);
          }}
        >
          <option value="" disabled selected={!preset()}>
            {notPreset()}
          </option>
          <option value={BLANK_OPTION}>New (blank)</option>
          {/* One name per preset: the picker, the gallery and the scenario heading all show the preset's title. */}
          <For each={presets()}>{(p) => <option value={p.id} selected={p.id === preset()}>{p.title}</option>}</For>
        </select>
      </label>
      {/* The toolbar shows the short text to keep one row beside the Run/Plan switch; the accessible name and the tooltip stay whole. */}
      <button type="button" aria-label="Import scenario…" title="Import scenario…" onClick={() => file.click()}>
        Import…
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
          if (f) void f.text().then((t) => props.wb.importText(t, f.name));
        }}
      />
      <OpenbImportButton short="Trace…" />
      <UndoRedo wb={props.wb} />
      <ShareButton />
      <ExportMenu />
      <ClusterMenu wb={props.wb} />
      <GalleryLink />
      <ClaimChip />
      <PresentButton />
      <span class="spacer" />
      <EngineBadge status={props.wb.engine()}>
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
