/**
 * The colour theme: the visitor's own choice when they made one (remembered in localStorage), else the system's
 * setting (prefers-color-scheme), followed live while no choice is stored.
 */

export type Theme = 'dark' | 'light';

/** localStorage key of the remembered toggle. */
export const THEME_KEY = 'slicebench.theme';

interface ThemeStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The stored choice, or null when the visitor never toggled (or storage is unavailable). */
export function storedTheme(storage: ThemeStorage | null): Theme | null {
  let v: string | null = null;
  try {
    v = storage?.getItem(THEME_KEY) ?? null;
  } catch {
    // Storage refused (privacy mode): follow the system.
  }
  return v === 'dark' || v === 'light' ? v : null;
}

/** The theme to show: the stored choice, else the system's (`systemLight`: prefers-color-scheme is light). */
export function initialTheme(storage: ThemeStorage | null, systemLight: boolean): Theme {
  return storedTheme(storage) ?? (systemLight ? 'light' : 'dark');
}

/** Remembers the visitor's toggle. */
export function rememberTheme(storage: ThemeStorage | null, theme: Theme): void {
  try {
    storage?.setItem(THEME_KEY, theme);
  } catch {
    // Not remembered; the toggle still applies to this visit.
  }
}
