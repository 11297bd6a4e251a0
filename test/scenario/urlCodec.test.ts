import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { deflateSync, strToU8 } from 'fflate';
import { base64UrlDecode, base64UrlEncode, decodeShareHash, encodeShareHash, inflateLimited, isShareHash, LINK_VERSION, MAX_UNPACKED_BYTES, type ViewState } from '../../src/scenario/urlCodec.ts';
import { parseScenario } from '../../src/scenario/validate.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { scenarioArb } from './arbitraries.ts';

const PRESET_DIR = new URL('../../public/scenarios/', import.meta.url);
const presetFiles = (JSON.parse(readFileSync(new URL('index.json', PRESET_DIR), 'utf8')) as { presets: { id: string; file: string }[] }).presets;
const loadPreset = (file: string): Scenario => JSON.parse(readFileSync(new URL(file, PRESET_DIR), 'utf8')) as Scenario;

/** Packs arbitrary bytes as a link body, for tests that need a well-formed envelope around bad content. */
const linkOfBytes = (bytes: Uint8Array, prefix = 's1.') => `#${prefix}${base64UrlEncode(deflateSync(bytes))}`;
const linkOfJson = (value: unknown) => linkOfBytes(strToU8(JSON.stringify(value)));

const viewArb: fc.Arbitrary<ViewState> = fc.record(
  { timeS: fc.integer({ min: 0, max: 600 }), panel: fc.constantFrom('charts', 'cluster', 'compare', 'why-here'), profiles: fc.constant([0]), preset: fc.constantFrom('tidal-day', 'gang-deadlock'), step: fc.integer({ min: 0, max: 20 }) },
  { requiredKeys: [] },
);

describe('base64url', () => {
  it.each([
    // RFC 4648 §10 vectors, in the URL alphabet without padding: "f" → "Zg", "fo" → "Zm8", "foo" → "Zm9v"
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foobar', 'Zm9vYmFy'],
  ])('%j ↔ %j', (plain, encoded) => {
    expect(base64UrlEncode(strToU8(plain))).toBe(encoded);
    expect(base64UrlDecode(encoded)).toEqual(strToU8(plain));
  });
  it('uses - and _ instead of + and /: bytes fb ff → "-_8"', () => {
    // 0xfb 0xff = 11111011 11111111 → 111110 111111 1111(00) → 62 63 60 → "-", "_", "8"
    expect(base64UrlEncode(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        expect(base64UrlDecode(base64UrlEncode(b))).toEqual(b);
      }),
    );
  });
  it('refuses characters outside the alphabet and impossible lengths with a message', () => {
    expect(base64UrlDecode('Zm9+')).toMatch(/does not belong/);
    expect(base64UrlDecode('Zm9=')).toMatch(/does not belong/);
    expect(base64UrlDecode('Zm9vY')).toMatch(/cut off/); // 5 chars: 5 mod 4 = 1 cannot come from whole bytes
  });
});

describe('scenario links: round trip', () => {
  it('decode(encode(s)) equals s, with its view state, for random valid scenarios', () => {
    fc.assert(
      fc.property(scenarioArb, viewArb, (s, view) => {
        expect(parseScenario(s)).toEqual({ ok: true, scenario: s }); // the generator makes valid scenarios
        const hash = encodeShareHash(s, view);
        expect(hash.startsWith(`#s${LINK_VERSION}.`)).toBe(true);
        expect(hash).toMatch(/^#s1\.[A-Za-z0-9_-]+$/); // URL-safe: nothing to percent-encode
        const d = decodeShareHash(hash);
        if (!d.ok) throw new Error(d.error);
        expect(d.state.scenario).toEqual(s);
        // A time cursor beyond the run is dropped (with a warning); everything else comes back as it was.
        const expected = { ...view };
        if (view.timeS !== undefined && view.timeS > s.sim.durationS) delete expected.timeS;
        expect(d.state.view).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('encoding is deterministic: the same scenario gives the same link', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        expect(encodeShareHash(structuredClone(s))).toBe(encodeShareHash(s));
      }),
      { numRuns: 50 },
    );
  });

  it('the hash is accepted with or without the leading #', () => {
    const s = loadPreset('gang-deadlock.json');
    const h = encodeShareHash(s, { panel: 'charts' });
    const a = decodeShareHash(h);
    const b = decodeShareHash(h.slice(1));
    expect(a.ok && b.ok && a.state).toEqual(b.ok && b.state);
  });

  it('a link restores the same run: same seed, same trace hash', async () => {
    const { simulate } = await import('../../src/sim/simulate.ts');
    const s = loadPreset('gang-deadlock.json');
    const d = decodeShareHash(encodeShareHash(s));
    if (!d.ok) throw new Error(d.error);
    expect(simulate(d.state.scenario).traceHash).toBe(simulate(s).traceHash);
  });
});

describe('scenario links: sizes of the shipped presets', () => {
  // Typical scenarios fit in about 1,500 characters. Measured with link format 1 (deflate level 9):
  // gang-deadlock ≈ 700, cpu-starved ≈ 690, tidal-day ≈ 850, small-mixed ≈ 1,030, whole-gpu-waste ≈ 990.
  // The trace-shaped openb-like preset carries 30 pod shapes and 122 nodes' pools: it is the exception, ≈ 2,200.
  const LIMITS: Record<string, number> = { 'openb-like': 3000 };
  it.each(presetFiles.map((p) => [p.id, p.file]))('%s', (id, file) => {
    const s = loadPreset(file);
    const hash = encodeShareHash(s, { timeS: 3600, panel: 'charts', profiles: s.schedulers.map((_, i) => i), preset: id });
    expect(hash.length).toBeLessThanOrEqual(LIMITS[id] ?? 1600);
    // Compression earns its keep: the link is shorter than the compact JSON it carries.
    expect(hash.length).toBeLessThan(JSON.stringify(s).length);
  });
});

describe('scenario links: old links keep opening', () => {
  const fixtures = JSON.parse(readFileSync(new URL('./fixtures/links-v1.json', import.meta.url), 'utf8')) as { hash: string; scenario: Scenario; view: ViewState }[];
  it.each(fixtures.map((f) => [f.scenario.name, f]))('%s (link format 1, scenario format 1)', (_name, f) => {
    // These hashes were generated once and frozen: a later change to the codec or to the scenario format
    // must keep decoding them (through a migration step in migrate.ts when the format version moves).
    const d = decodeShareHash(f.hash);
    if (!d.ok) throw new Error(d.error);
    expect(d.state.view).toEqual(f.view);
    const expected = parseScenario(f.scenario);
    expect(expected.ok && d.state.scenario).toEqual(expected.ok && expected.scenario);
  });

  it('an old scenario format version inside a link goes through the migration chain (version 1 → current)', () => {
    // Version 1 is the oldest format; parseScenario migrates it. The envelope does not care which version it carries.
    const s = loadPreset('gang-deadlock.json');
    const d = decodeShareHash(linkOfJson({ scenario: { ...s, version: 1 } }));
    expect(d.ok).toBe(true);
  });
});

describe('scenario links: broken links give a message, never an exception', () => {
  const good = encodeShareHash(loadPreset('small-mixed.json'), { panel: 'charts' });

  it.each([
    ['', /does not contain/],
    ['#', /does not contain/],
    ['#gallery', /not a Slicebench scenario link/],
    ['#S1.abc', /not a Slicebench scenario link/],
    ['#s0.abc', /unknown format/],
    ['#s2.' + good.slice(4), /newer Slicebench \(link format 2/],
    ['#s999999.' + good.slice(4), /newer Slicebench/],
    ['#s1.', /cut off/],
    [good.slice(0, 40), /damaged: it is cut off|cut off/],
    [good.slice(0, -3), /damaged/],
    [good + '%20', /does not belong/],
    [good.replace(/.$/, '*'), /does not belong/],
    ['#s1.' + base64UrlEncode(strToU8('not deflate at all')), /damaged/],
    [linkOfBytes(strToU8('{"scenario": ')), /not valid JSON/],
    [linkOfBytes(new Uint8Array([0xff, 0xfe, 0x00, 0x7b])), /not valid (JSON|text)/],
    [linkOfJson([1, 2, 3]), /no scenario inside/],
    [linkOfJson({ view: {} }), /no scenario inside/],
    [linkOfJson({ scenario: { kind: 'something-else' } }), /cannot be opened: kind/],
  ])('%j', (hash, message) => {
    const d = decodeShareHash(hash);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error).toMatch(message);
  });

  it('a scenario from a newer format version names the version and says to update', () => {
    const s = loadPreset('gang-deadlock.json');
    const d = decodeShareHash(linkOfJson({ scenario: { ...s, version: 7 } }));
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error).toMatch(/newer Slicebench \(format version 7\)/);
  });

  it('an invalid scenario names the field', () => {
    const s = loadPreset('gang-deadlock.json');
    const bad = { ...s, workloads: [{ ...s.workloads[0], workers: 0 }, s.workloads[1]] };
    const d = decodeShareHash(linkOfJson({ scenario: bad }));
    expect(d.ok).toBe(false);
    if (!d.ok) {
      expect(d.error).toContain('workloads[0].workers: must be ≥ 1');
      expect(d.details).toContain('workloads[0].workers: must be ≥ 1');
    }
  });

  it('refuses a deflate bomb: a tiny link that unpacks beyond the limit', () => {
    // 40 MiB of spaces deflate to about 40 KiB; the decoder stops at 32 MiB unpacked.
    const bomb = linkOfBytes(new Uint8Array(40 * 1024 * 1024).fill(0x20));
    expect(bomb.length).toBeLessThan(100_000);
    const d = decodeShareHash(bomb);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error).toMatch(/more than 32 MiB/);
  });

  it('stops a deflate bomb within one slice of the limit, never unpacking it whole (issue 19)', () => {
    // 64 MiB of zeros deflate to about 64 KiB. Before, the inflater unpacked it in one 64 MiB chunk and only then
    // compared with the limit; now it unpacks in slices of ≤ ~1 MiB and stops as soon as the limit is passed.
    const bomb = deflateSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    let largest = 0;
    let seen = 0;
    const t0 = performance.now();
    const r = inflateLimited(bomb, MAX_UNPACKED_BYTES, (n) => {
      largest = Math.max(largest, n);
      seen += n;
    });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(r).toMatch(/more than 32 MiB \(the limit\); it was refused/);
    expect(largest).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(seen).toBeLessThanOrEqual(MAX_UNPACKED_BYTES + 2 * 1024 * 1024);
  });

  it('unpacks in slices byte-for-byte like one-shot inflate', () => {
    const text = JSON.stringify({ scenario: loadPreset('gang-deadlock.json') }).repeat(50);
    const r = inflateLimited(deflateSync(strToU8(text), { level: 9 }), MAX_UNPACKED_BYTES);
    expect(typeof r).not.toBe('string');
    expect(new TextDecoder().decode(r as Uint8Array)).toBe(text);
  });

  it('bad view fields are dropped with a warning; the scenario still opens', () => {
    const s = loadPreset('gang-deadlock.json');
    const d = decodeShareHash(linkOfJson({ scenario: s, view: { timeS: -5, panel: '<script>', profiles: [0, 9], step: 1.5, zoom: 3 } }));
    expect(d.ok).toBe(true);
    if (d.ok) {
      expect(d.state.view).toEqual({});
      expect(d.warnings).toHaveLength(5);
    }
  });

  it('non-string input', () => {
    for (const x of [undefined, null, 42, {}, []]) expect(decodeShareHash(x).ok).toBe(false);
  });
});

describe('scenario links: fuzz', () => {
  const seeds = presetFiles.filter((p) => p.id !== 'openb-like').map((p) => encodeShareHash(loadPreset(p.file), { timeS: 60, panel: 'charts' }));
  const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  /** Never throws; a failure has a non-empty sentence; a success carries a scenario that validates. */
  const checkDecode = (hash: string): void => {
    let d: ReturnType<typeof decodeShareHash> | undefined;
    expect(() => {
      d = decodeShareHash(hash);
    }).not.toThrow();
    if (!d!.ok) {
      expect(d!.error.length).toBeGreaterThan(10);
      expect(d!.error).toMatch(/[.)]$/);
    } else expect(parseScenario(d!.state.scenario).ok).toBe(true);
  };

  it('random strings (thousands)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (s) => checkDecode(s)), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ maxLength: 300 }).map((s) => '#s1.' + s), (s) => checkDecode(s)), { numRuns: 1000 });
  });

  it('every truncation of real links', () => {
    let failures = 0;
    for (const h of seeds.slice(0, 3)) {
      for (let n = 0; n < h.length; n++) {
        const d = decodeShareHash(h.slice(0, n));
        checkDecode(h.slice(0, n));
        if (!d.ok) failures++;
      }
    }
    // A truncated link never opens (the DEFLATE stream's final block is missing).
    expect(failures).toBe(seeds.slice(0, 3).reduce((a, h) => a + h.length, 0));
  });

  it('character substitutions, insertions and deletions in real links', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.constantFrom('sub', 'ins', 'del'), fc.nat(), fc.constantFrom(...ALPHA)), { minLength: 1, maxLength: 4 }),
        (hash, edits) => {
          let h = hash;
          for (const [op, at, c] of edits) {
            const i = 4 + (at % (h.length - 4)); // keep the prefix: mutate the body
            h = op === 'sub' ? h.slice(0, i) + c + h.slice(i + 1) : op === 'ins' ? h.slice(0, i) + c + h.slice(i) : h.slice(0, i) + h.slice(i + 1);
          }
          checkDecode(h);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('bit flips in the compressed bytes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 3 }), (hash, flips) => {
        const bytes = base64UrlDecode(hash.slice(4)) as Uint8Array;
        const b = bytes.slice();
        for (const [at, bit] of flips) b[at % b.length] ^= 1 << bit;
        checkDecode('#s1.' + base64UrlEncode(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('valid base64 of garbage, valid deflate of garbage, and wrong prefixes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (b) => checkDecode('#s1.' + base64UrlEncode(b))), { numRuns: 1000 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (b) => checkDecode(linkOfBytes(b))), { numRuns: 500 });
    fc.assert(fc.property(fc.json(), (j) => checkDecode(linkOfBytes(strToU8(j)))), { numRuns: 500 });
    fc.assert(fc.property(fc.json(), (j) => checkDecode(linkOfBytes(strToU8(`{"scenario":${j}}`)))), { numRuns: 500 });
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.stringMatching(/^[A-Za-z0-9]{0,4}\.?$/), (hash, prefix) => checkDecode('#' + prefix + hash.slice(4))),
      { numRuns: 500 },
    );
  });
});

describe('isShareHash', () => {
  it.each([
    ['#s1.abc', true],
    ['s1.abc', true],
    ['#s12.x', true],
    ['#gallery', false],
    ['', false],
    ['#s.abc', false],
  ])('%j → %s', (h, want) => expect(isShareHash(h)).toBe(want));
});
