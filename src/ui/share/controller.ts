/**
 * The share features' state in the app: the Workspace (undo, autosave, links) bound to the workbench store, the
 * preset manifest and preset scenarios, and which preset/variant the current scenario is. Created once by the
 * start hook (register.tsx); components read it through `shareCtx()`.
 */
import { createEffect, createRoot, createSignal, on, type Accessor } from 'solid-js';
import { unwrap } from 'solid-js/store';
import type { Scenario } from '../../scenario/types.ts';
import { isShareHash } from '../../scenario/urlCodec.ts';
import type { Workbench } from '../stores/workbench.ts';
import { fetchPreset } from '../presets.ts';
import { canonicalJson } from './history.ts';
import { parseManifest, variantScenario, type PresetEntry } from './presetManifest.ts';
import { Workspace } from './workspace.ts';
import type { StorageLike } from './autosave.ts';

/** Query flags of the page: `?embed=1` (chrome-free view for an iframe), `?present=1` (presenter mode). */
export function pageFlags(search = typeof location === 'undefined' ? '' : location.search): { embed: boolean; present: boolean } {
  const q = new URLSearchParams(search);
  return { embed: q.get('embed') === '1', present: q.get('present') === '1' };
}

/** localStorage when it works (private modes and sandboxed iframes may refuse it), else null. */
export function safeLocalStorage(): StorageLike | null {
  try {
    const s = window.localStorage;
    const k = 'slicebench.probe';
    s.setItem(k, '1');
    s.removeItem(k);
    return s;
  } catch {
    return null;
  }
}

export interface ShareCtx {
  wb: Workbench;
  ws: Workspace;
  /** Bumped on every workspace change (for canUndo/canRedo in the UI). */
  version: Accessor<number>;
  manifest: Accessor<PresetEntry[]>;
  /** Preset scenarios by id, as shipped. */
  presetScenario(id: string): Scenario | undefined;
  /** The preset and variant the current scenario is exactly (null when edited or not a preset). */
  current: Accessor<{ entry: PresetEntry; variant: string | null } | null>;
  /** Loads a scenario into the workbench (the workspace records it through the draft observer). */
  loadScenario(s: Scenario, source: string): Promise<boolean>;
  /** Opens a preset (or one of its variants) as one undo step. */
  openPreset(id: string, variant?: string | null): Promise<boolean>;
  /** Opens a share link; on failure shows the message and keeps the work. */
  openLink(hash: string): Promise<boolean>;
  /** Puts the preset the work came from back (one undo step). */
  resetToPreset(): Promise<boolean>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  /** The share URL for the current scenario and view. */
  shareUrl(): string;
  embed: boolean;
}

let ctx: ShareCtx | null = null;

/** The share context, once the app started (null before). */
export function shareCtx(): ShareCtx | null {
  return ctx;
}

const [ready, setReady] = createSignal(false);
/** True once the share context exists (components render after it). */
export const shareReady = ready;

/** Creates the context, restores a shared link or the saved work, and starts observing edits. */
export async function startShare(wb: Workbench): Promise<void> {
  const flags = pageFlags();
  const ws = new Workspace({ initial: structuredClone(unwrap(wb.draft)), storage: flags.embed ? null : safeLocalStorage() });
  const [version, setVersion] = createSignal(0);
  ws.subscribe(() => setVersion((v) => v + 1));
  const [manifest, setManifest] = createSignal<PresetEntry[]>([]);
  const presets = new Map<string, Scenario>();
  const presetKeys = new Map<string, { id: string; variant: string | null }>();
  const [current, setCurrent] = createSignal<{ entry: PresetEntry; variant: string | null } | null>(null);

  let pointerDown = false;
  const onDown = (): void => {
    pointerDown = true;
    ws.begin();
  };
  const onUp = (): void => {
    if (!pointerDown) return;
    pointerDown = false;
    ws.commit();
  };
  window.addEventListener('pointerdown', onDown, true);
  window.addEventListener('pointerup', onUp, true);
  window.addEventListener('pointercancel', onUp, true);

  const identify = (s: Scenario): void => {
    const hit = presetKeys.get(canonicalJson(s));
    const entry = hit ? manifest().find((e) => e.id === hit.id) : undefined;
    setCurrent(entry && hit ? { entry, variant: hit.variant } : null);
    if (entry && hit && ws.presetId !== entry.id) {
      const base = presets.get(entry.id);
      if (base) ws.setPresetBase(entry.id, base);
    }
  };

  const c: ShareCtx = {
    wb,
    ws,
    version,
    manifest,
    embed: flags.embed,
    presetScenario: (id) => presets.get(id),
    current,
    async loadScenario(s, source) {
      wb.pause();
      return wb.load(structuredClone(s), source);
    },
    async openPreset(id, variant = null) {
      const base = presets.get(id);
      const entry = manifest().find((e) => e.id === id);
      if (!base || !entry) return false;
      const v = variantScenario(base, entry, variant);
      if (!v.ok) {
        wb.showError(`Preset ${id}: the variant could not be applied — the current scenario is kept.`, [v.error]);
        return false;
      }
      const ok = await c.loadScenario(v.value, `Preset ${id}`);
      if (ok) {
        ws.setPresetBase(id, base);
        ws.setView({ preset: id, timeS: undefined, step: undefined });
      }
      return ok;
    },
    async openLink(hash) {
      const r = ws.openLink(hash);
      if (!r.ok) {
        wb.showError('This link could not be opened — your current work is kept.', [r.error, ...r.details.slice(0, 8)]);
        return false;
      }
      const ok = await c.loadScenario(ws.scenario, 'Shared link');
      if (ok && ws.view.timeS !== undefined) await wb.seek(ws.view.timeS);
      return ok;
    },
    async resetToPreset() {
      if (!ws.resetToPreset()) return false;
      return c.loadScenario(ws.scenario, 'Reset to preset');
    },
    async undo() {
      if (ws.undo()) await c.loadScenario(ws.scenario, 'Undo');
    },
    async redo() {
      if (ws.redo()) await c.loadScenario(ws.scenario, 'Redo');
    },
    shareUrl() {
      const f = wb.frame();
      ws.setView({ timeS: f ? Math.round(f.tS) : undefined, preset: current()?.entry.id ?? ws.presetId ?? undefined });
      const base = `${location.origin}${location.pathname}${location.search}`;
      return `${base}${ws.shareHash()}`;
    },
  };
  ctx = c;
  // A link pasted into the address bar while the app is open.
  window.addEventListener('hashchange', () => {
    if (isShareHash(location.hash)) void c.openLink(location.hash);
  });

  // Observe the draft: every change the workbench makes (edits, loads) becomes a workspace change; a pointer
  // gesture (a drag on a dial, a freehand curve) is one step, committed on pointerup.
  createRoot(() => {
    createEffect(
      on(
        () => canonicalJson(wb.draft),
        () => {
          const s = structuredClone(unwrap(wb.draft)) as Scenario;
          if (!wb.layout()) return;
          if (pointerDown) ws.preview(s);
          else ws.record(s, { coalesce: document.activeElement instanceof HTMLInputElement ? `field:${document.activeElement.getAttribute('aria-label') ?? document.activeElement.id}` : undefined });
          identify(s);
        },
        { defer: true },
      ),
    );
  });

  // A shared link wins over the saved work; a broken link shows its message and the saved work opens.
  let opened = false;
  if (isShareHash(location.hash)) opened = await c.openLink(location.hash);
  if (!opened && ws.origin === 'autosave') await c.loadScenario(ws.scenario, 'Saved work');
  if (!opened && ws.restoreError) wb.showError('Your saved work could not be restored.', [ws.restoreError]);

  // The manifest and the preset scenarios (small files; the gallery and "which preset is this" need them).
  try {
    const res = await fetch('./scenarios/index.json');
    const m = parseManifest(await res.json());
    if (m.ok) {
      setManifest(m.manifest.presets);
      await Promise.all(
        m.manifest.presets.map(async (e) => {
          try {
            const s = (await fetchPreset(e.file)) as Scenario;
            presets.set(e.id, s);
            presetKeys.set(canonicalJson(s), { id: e.id, variant: null });
            for (const v of Object.keys(e.variants ?? {})) {
              const r = variantScenario(s, e, v);
              if (r.ok) presetKeys.set(canonicalJson(r.value), { id: e.id, variant: v });
            }
          } catch {
            // A missing preset file only hides it from the gallery.
          }
        }),
      );
    }
  } catch {
    // Offline without a cached manifest: the gallery says so; links and autosave still work.
  }
  identify(structuredClone(unwrap(wb.draft)) as Scenario);

  setReady(true);
}
