/** The workbench's engine choice as a setting (src/ui/lib/engineChoice.ts): URL parameter, remembered value, default. */
import { describe, expect, it } from 'vitest';
import { ENGINE_KEY, ENGINE_OPTIONS, initialEngineChoice, parseEngineChoice, rememberEngineChoice, type ChoiceStorage } from '../../src/ui/lib/engineChoice.ts';

/** An in-memory storage; `refuse` makes every call throw like a sandboxed iframe's localStorage. */
function store(init: Record<string, string> = {}, refuse = false): ChoiceStorage & { data: Record<string, string> } {
  const data = { ...init };
  return {
    data,
    getItem: (k) => {
      if (refuse) throw new Error('SecurityError');
      return data[k] ?? null;
    },
    setItem: (k, v) => {
      if (refuse) throw new Error('SecurityError');
      data[k] = v;
    },
  };
}

describe('engine choice setting', () => {
  it.each([
    // search, stored, expected choice, from
    ['', undefined, 'auto', 'default'],
    ['', 'gpu', 'gpu', 'storage'],
    ['', 'cpu', 'cpu', 'storage'],
    ['', 'fast', 'auto', 'default'], // an unknown stored value is ignored
    ['?engine=gpu', 'cpu', 'gpu', 'url'], // the URL wins for this page…
    ['?present=1&engine=cpu', undefined, 'cpu', 'url'],
    ['?engine=GPU', 'cpu', 'cpu', 'storage'], // …only with a valid value (case matters, like --engine)
    ['?engine=', undefined, 'auto', 'default'],
  ] as const)('search %j, stored %j → %s (%s)', (search, stored, choice, from) => {
    const s = store(stored === undefined ? {} : { [ENGINE_KEY]: stored });
    expect(initialEngineChoice(search, s)).toEqual({ choice, from });
  });

  it('a URL choice is not written back; a toolbar choice is remembered; refused storage is survived', () => {
    const s = store();
    expect(initialEngineChoice('?engine=gpu', s).choice).toBe('gpu');
    expect(s.data).toEqual({});
    rememberEngineChoice(s, 'cpu');
    expect(s.data).toEqual({ [ENGINE_KEY]: 'cpu' });
    expect(initialEngineChoice('', s)).toEqual({ choice: 'cpu', from: 'storage' });
    const refused = store({}, true);
    expect(() => rememberEngineChoice(refused, 'gpu')).not.toThrow();
    expect(initialEngineChoice('', refused)).toEqual({ choice: 'auto', from: 'default' });
    expect(initialEngineChoice('', null)).toEqual({ choice: 'auto', from: 'default' });
  });

  it('offers exactly the three choices the worker accepts, each with help text', () => {
    expect(ENGINE_OPTIONS.map((o) => o.value)).toEqual(['auto', 'cpu', 'gpu']);
    for (const o of ENGINE_OPTIONS) expect(parseEngineChoice(o.value)).toBe(o.value);
    expect(ENGINE_OPTIONS.every((o) => o.help.length > 10)).toBe(true);
    expect(parseEngineChoice(null)).toBeNull();
  });
});
