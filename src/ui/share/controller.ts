/**
 * The share features' state in the app: the preset library (read through presets.ts) and which preset/variant
 * the current scenario is, opening presets and their variants, the share URL, links pasted while the app is
 * open, and the starting scenario (a link, else the saved work, else the starting preset). The scenario itself
 * is owned by the workspace behind the workbench store (stores/workspace.ts). Created once by main.tsx;
 * components read it through `shareCtx()`.
 */
import { createEffect, createRoot, createSignal, on, type Accessor } from 'solid-js';
import type { Scenario } from '../../scenario/types.ts';
import { isShareHash } from '../../scenario/urlCodec.ts';
import { quoteInput } from '../../core/quoteInput.ts';
import type { Workbench } from '../stores/workbench.ts';
import { presetManifest, presetScenario, START_PRESET } from '../presets.ts';
import { canonicalJson } from './history.ts';
import { variantScenario, type PresetEntry } from './presetManifest.ts';
import { AUTOSAVE_KEY, type StorageLike } from './autosave.ts';

/** Query flags of the page: `?embed=1` (chrome-free view for an iframe), `?present=1` (presenter mode). */
export function pageFlags(search = typeof location === 'undefined' ? '' : location.search): { embed: boolean; present: boolean } {
  const q = new URLSearchParams(search);
  return { embed: q.get('embed') === '1', present: q.get('present') === '1' };
}

/**
 * localStorage when it can be read (private modes and sandboxed iframes may refuse it), else null. Only a read is
 * probed: a full storage refuses writes but still holds the saved work, which must be restored (issue 19); its
 * failed saves are reported by the autosave.
 */
export function safeLocalStorage(): StorageLike | null {
  try {
    const s = window.localStorage;
    s.getItem(AUTOSAVE_KEY);
    return s;
  } catch {
    return null;
  }
}

export interface ShareCtx {
  wb: Workbench;
  /** Bumped on every workspace change (for the preset id and view in the UI). */
  version: Accessor<number>;
  manifest: Accessor<PresetEntry[]>;
  /** Preset scenarios by id, as shipped (once the library is read). */
  presetScenario(id: string): Scenario | undefined;
  /** The preset and variant the current scenario is exactly (null when edited or not a preset). */
  current: Accessor<{ entry: PresetEntry; variant: string | null } | null>;
  /** Opens a preset (or one of its variants) as one undo step. */
  openPreset(id: string, variant?: string | null): Promise<boolean>;
  /** The share URL for the current scenario and view. */
  shareUrl(): string;
  embed: boolean;
  /** Settles once the preset library is read (or could not be). */
  ready: Promise<void>;
}

let ctx: ShareCtx | null = null;

/** The share context, once the app started (null before). */
export function shareCtx(): ShareCtx | null {
  return ctx;
}

const [ready, setReady] = createSignal(false);
/** True once the preset library is read (or could not be): the gallery and the claim render after it. */
export const shareReady = ready;

/** Creates the context (call once, inside a Solid root) and starts reading the preset library. */
export function createShare(wb: Workbench): ShareCtx {
  const flags = pageFlags();
  const ws = wb.ws;
  const [version, setVersion] = createSignal(0);
  ws.subscribe(() => setVersion((v) => v + 1));
  const [manifest, setManifest] = createSignal<PresetEntry[]>([]);
  const presets = new Map<string, Scenario>();
  const presetKeys = new Map<string, { id: string; variant: string | null }>();
  const [current, setCurrent] = createSignal<{ entry: PresetEntry; variant: string | null } | null>(null);

  const identify = (key: string): void => {
    const hit = presetKeys.get(key);
    const entry = hit ? manifest().find((e) => e.id === hit.id) : undefined;
    setCurrent(entry && hit ? { entry, variant: hit.variant } : null);
    const base = entry ? presets.get(entry.id) : undefined;
    if (entry && base && ws.presetId !== entry.id) ws.setPresetBase(entry.id, base);
    // An edited preset opened from a link or the saved work: the view names the preset it came from.
    const named = ws.view.preset;
    const namedBase = !entry && named !== undefined ? presets.get(named) : undefined;
    if (namedBase && named !== undefined && ws.presetId !== named) ws.setPresetBase(named, namedBase);
  };

  let libraryRead!: () => void;
  const c: ShareCtx = {
    ready: new Promise<void>((ok) => (libraryRead = ok)),
    wb,
    version,
    manifest,
    embed: flags.embed,
    presetScenario: (id) => presets.get(id),
    current,
    async openPreset(id, variant = null) {
      const entry = manifest().find((e) => e.id === id);
      let base = presets.get(id);
      try {
        base ??= entry ? await presetScenario(entry) : undefined;
      } catch (e) {
        wb.showError(`Preset ${id}: not loaded — the current scenario is kept.`, [(e as Error).message]);
        return false;
      }
      if (!base || !entry) return false;
      const v = variantScenario(base, entry, variant);
      if (!v.ok) {
        wb.showError(`Preset ${id}: the variant could not be applied — the current scenario is kept.`, [v.error]);
        return false;
      }
      return wb.openPreset(id, v.value, {}, base);
    },
    shareUrl() {
      const f = wb.frame();
      ws.setView({ timeS: f ? Math.round(f.tS) : undefined, preset: current()?.entry.id ?? ws.presetId ?? undefined, speed: wb.speed() });
      const base = `${location.origin}${location.pathname}${location.search}`;
      return `${base}${ws.shareHash()}`;
    },
  };
  ctx = c;
  // Another tab saved its work over this tab's: saving pauses and the error banner asks whose work to keep.
  if (!flags.embed) {
    window.addEventListener('storage', (e) => {
      if (e.storageArea === window.localStorage && (e.key === AUTOSAVE_KEY || e.key === null)) ws.storageChanged(e.key === null ? null : e.newValue);
    });
  }
  // A link pasted into the address bar while the app is open.
  window.addEventListener('hashchange', () => {
    if (isShareHash(location.hash)) void wb.openLink(location.hash);
  });
  // Which preset (and variant) the scenario on screen is, after every change; a link that is a preset can be reset to it.
  createRoot(() => createEffect(on([() => canonicalJson(wb.scenario), manifest], ([key]) => identify(key))));

  // The manifest and the preset scenarios (small files; the gallery and "which preset is this" need them).
  void (async () => {
    try {
      const entries = await presetManifest();
      setManifest(entries);
      await Promise.all(
        entries.map(async (e) => {
          try {
            const s = await presetScenario(e);
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
      // A new array: "which preset is this" runs again now that the scenarios are known.
      setManifest([...entries]);
    } catch {
      // Offline without a cached manifest: the gallery says so; links and autosave still work.
    }
    setReady(true);
    libraryRead();
  })();
  return c;
}

/**
 * Opens the first scenario, and only that one: a share link in the address bar, else the saved work, else the
 * starting preset. A broken link shows its message until dismissed; with saved work, it asks before the saved
 * work is shown instead (nothing is opened over it meanwhile, so nothing saved is lost). Unreadable saved work
 * shows its message after the starting preset opened.
 */
export async function openFirst(wb: Workbench): Promise<void> {
  const ws = wb.ws;
  let problem: { title: string; items: string[] } | null = null;
  if (isShareHash(location.hash)) {
    if (await wb.openLink(location.hash)) return;
    const items = wb.errors()?.items ?? [];
    if (ws.hasScenario) {
      const name = ws.scenario.name;
      wb.showError('This link could not be opened.', items, {
        sticky: true,
        question: `Your saved work (${quoteInput(name)}) is safe and was not changed. Open it instead?`,
        actions: [{ label: 'Open my saved work', run: () => wb.reload('Saved work') }],
      });
      return;
    }
    problem = { title: 'This link could not be opened.', items };
  }
  if (ws.hasScenario) await wb.reload('Saved work');
  else {
    try {
      const s = await presetScenario({ id: START_PRESET, file: `${START_PRESET}.json` });
      await wb.openPreset(START_PRESET, s);
    } catch (e) {
      wb.showError('The starting preset could not be loaded.', [(e as Error).message]);
      return;
    }
  }
  if (problem) wb.showError(problem.title, problem.items, { sticky: true });
  else if (ws.restoreError) wb.showError('Your saved work could not be restored.', [ws.restoreError]);
}
