/** The colour theme's choice (src/ui/lib/theme.ts): the system's setting until the visitor toggles, then the toggle. */
import { describe, expect, it } from 'vitest';
import { initialTheme, rememberTheme, storedTheme, THEME_KEY } from '../../src/ui/lib/theme.ts';

const mem = (init: Record<string, string> = {}) => {
  const m = new Map(Object.entries(init));
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
};

describe('theme', () => {
  it('follows the system until the visitor toggles, then remembers the toggle', () => {
    const s = mem();
    expect(initialTheme(s, true)).toBe('light');
    expect(initialTheme(s, false)).toBe('dark');
    rememberTheme(s, 'light');
    expect(s.m.get(THEME_KEY)).toBe('light');
    expect(initialTheme(s, false)).toBe('light');
    expect(storedTheme(s)).toBe('light');
  });

  it('ignores a stored value that is not a theme, and storage that throws', () => {
    expect(initialTheme(mem({ [THEME_KEY]: 'purple' }), false)).toBe('dark');
    const broken = {
      getItem: (): string => {
        throw new Error('denied');
      },
      setItem: (): void => {
        throw new Error('denied');
      },
    };
    expect(initialTheme(broken, true)).toBe('light');
    expect(() => rememberTheme(broken, 'dark')).not.toThrow();
    expect(initialTheme(null, false)).toBe('dark');
  });
});
