/**
 * The paper grid's settings in the share link (issue 14's leftover): the seeds as typed and the random numbers
 * round-trip through a link (scenario/urlCodec.ts ViewState.paper), a malformed value is dropped with a warning
 * naming the field, and a seeds text that is no seed list is kept with a message saying what is wrong
 * (ui/plan/paperSettings.ts, what PaperGridPanel shows).
 */
import { readFileSync } from 'node:fs';
import { deflateSync, strToU8 } from 'fflate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64UrlEncode, decodeShareHash, encodeShareHash } from '../../src/scenario/urlCodec.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { DEFAULT_PAPER_SETTINGS, paperSettingsOf, paperViewOf } from '../../src/ui/plan/paperSettings.ts';

const scenario = JSON.parse(readFileSync(new URL('../../public/scenarios/small-mixed.json', import.meta.url), 'utf8')) as Scenario;
const linkOfJson = (value: unknown): string => `#s1.${base64UrlEncode(deflateSync(strToU8(JSON.stringify(value))))}`;

describe('paper grid settings in the share link', () => {
  it('seeds as typed and the random numbers round-trip, beside the other view fields', () => {
    fc.assert(
      fc.property(fc.constantFrom('42..51', '1, 3, 5', '7', '0..99'), fc.constantFrom('slicebench' as const, 'go' as const), (seedsText, rng) => {
        const d = decodeShareHash(encodeShareHash(scenario, { panel: 'plan', paper: paperViewOf({ seedsText, rng }) }));
        expect(d.ok).toBe(true);
        if (!d.ok) return;
        expect(d.warnings).toEqual([]);
        expect(d.state.view).toEqual({ panel: 'plan', paper: { seeds: seedsText, rng } });
        expect(paperSettingsOf(d.state.view.paper)).toEqual({ settings: { seedsText, rng }, error: null });
      }),
      { numRuns: 12 },
    );
  });

  it('a malformed field is dropped with a warning naming it; the scenario and the good field stay', () => {
    const d = decodeShareHash(linkOfJson({ scenario, view: { paper: { seeds: 42, rng: 'python', zoom: 1 } } }));
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.state.view).toEqual({});
    expect(d.warnings).toEqual([
      'view.paper.seeds: ignored (must be the seeds as typed, 1 to 2000 characters, e.g. "42..51")',
      'view.paper.rng: ignored (must be "slicebench" or "go", got "python")',
      'view.paper.zoom: ignored (unknown field)',
    ]);
    const half = decodeShareHash(linkOfJson({ scenario, view: { paper: { seeds: '42..51', rng: 7 } } }));
    expect(half.ok && [half.state.view, half.warnings]).toEqual([{ paper: { seeds: '42..51' } }, ['view.paper.rng: ignored (must be "slicebench" or "go", got 7)']]);
    const notObject = decodeShareHash(linkOfJson({ scenario, view: { paper: 'go' } }));
    expect(notObject.ok && notObject.warnings).toEqual(["view.paper: ignored (must be an object with the paper grid's seeds and rng)"]);
  });

  it('a seeds text that is no seed list is kept and named; missing or foreign values fall back to the defaults', () => {
    expect(paperSettingsOf({ seeds: '5..1', rng: 'go' })).toEqual({ settings: { seedsText: '5..1', rng: 'go' }, error: 'Seeds (from the shared link or saved work): range 5..1 ends before it starts' });
    expect(paperSettingsOf({ seeds: '1.5' }).error).toBe('Seeds (from the shared link or saved work): 1.5 must be a whole number');
    expect(paperSettingsOf({ seeds: '0..100' }).error).toBe('Seeds (from the shared link or saved work): range 0..100 has 101 values (at most 100)');
    expect(paperSettingsOf(undefined)).toEqual({ settings: DEFAULT_PAPER_SETTINGS, error: null });
    // The saved work's view is not checked when it is read back: a hand-edited one may hold anything.
    expect(paperSettingsOf({ seeds: 3, rng: 'python' } as never)).toEqual({ settings: DEFAULT_PAPER_SETTINGS, error: null });
  });
});
