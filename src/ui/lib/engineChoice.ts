/**
 * The workbench's engine choice (Auto / CPU / GPU forced) as a setting: remembered in localStorage like the app's
 * other settings, and overridable for one page by `?engine=auto|cpu|gpu` (a teacher's demo link). The choice is not
 * part of the scenario or its share link: every engine gives the same runs (same traceHash), so a shared scenario
 * must not depend on the visitor's hardware.
 */
import type { EngineChoice } from '../../worker/engineInfo.ts';

/** localStorage key of the remembered choice. */
export const ENGINE_KEY = 'slicebench.engine';

/** The minimal storage interface (localStorage, or a fake in tests). */
export interface ChoiceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The toolbar's options: value, visible text, and what it means. */
export const ENGINE_OPTIONS: readonly { value: EngineChoice; text: string; help: string }[] = [
  { value: 'auto', text: 'Auto', help: 'WebGPU on a real GPU, else the CPU engine' },
  { value: 'cpu', text: 'CPU', help: 'always the CPU engine' },
  { value: 'gpu', text: 'GPU (forced)', help: 'the WebGPU engine even on a software adapter (slow; for checking)' },
];

/** A choice from a string (URL parameter, stored value), or null when it is not one. */
export function parseEngineChoice(v: string | null | undefined): EngineChoice | null {
  return v === 'auto' || v === 'cpu' || v === 'gpu' ? v : null;
}

/** The choice a page starts with: `?engine=` when valid, else the remembered one, else auto. */
export function initialEngineChoice(search: string, storage: ChoiceStorage | null): { choice: EngineChoice; from: 'url' | 'storage' | 'default' } {
  const fromUrl = parseEngineChoice(new URLSearchParams(search).get('engine'));
  if (fromUrl) return { choice: fromUrl, from: 'url' };
  let stored: string | null = null;
  try {
    stored = storage?.getItem(ENGINE_KEY) ?? null;
  } catch {
    // storage refused (private mode, sandboxed iframe): not remembered
  }
  const choice = parseEngineChoice(stored);
  return choice ? { choice, from: 'storage' } : { choice: 'auto', from: 'default' };
}

/** Remembers a choice the user made in the toolbar (silently not, where storage is refused). */
export function rememberEngineChoice(storage: ChoiceStorage | null, choice: EngineChoice): void {
  try {
    storage?.setItem(ENGINE_KEY, choice);
  } catch {
    // not remembered
  }
}
