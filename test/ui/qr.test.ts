/**
 * The presenter's QR encoder (src/ui/present/qr.ts) against vectors it did not make: the Reed–Solomon example of
 * the standard's annex (1-M "HELLO WORLD" codewords), the format and version bit tables of ISO/IEC 18004 (tables
 * C.1 and D.1), and whole symbols from python-qrcode 8.2 with the mask forced (test/fixtures/qr/vectors.json, how
 * they were made is in its `source`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeQr, formatBits, reedSolomon, versionBits, type QrLevel } from '../../src/ui/present/qr.ts';

const ROOT = join(import.meta.dirname, '../..');
const vectors = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/qr/vectors.json'), 'utf8')) as {
  cases: { text: string; level: QrLevel; mask: number; version: number; rows: string[] }[];
};

describe('QR encoder', () => {
  it('computes the error correction codewords of the 1-M "HELLO WORLD" example', () => {
    const data = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17];
    expect(reedSolomon(data, 10)).toEqual([196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
  });

  it('writes the format bits of the standard table (level and mask, BCH, XOR mask)', () => {
    expect(formatBits('M', 0).toString(2).padStart(15, '0')).toBe('101010000010010');
    expect(formatBits('L', 0).toString(2).padStart(15, '0')).toBe('111011111000100');
    expect(formatBits('Q', 0).toString(2).padStart(15, '0')).toBe('011010101011111');
    expect(formatBits('H', 0).toString(2).padStart(15, '0')).toBe('001011010001001');
    expect(formatBits('L', 6).toString(2).padStart(15, '0')).toBe('110110001000001');
    expect(formatBits('L', 7).toString(2).padStart(15, '0')).toBe('110100101110110');
  });

  it('writes the version bits of the standard table', () => {
    expect(versionBits(7).toString(2).padStart(18, '0')).toBe('000111110010010100');
    expect(versionBits(8).toString(2).padStart(18, '0')).toBe('001000010110111100');
    expect(versionBits(40).toString(2).padStart(18, '0')).toBe('101000110001101001');
  });

  for (const c of vectors.cases) {
    it(`matches python-qrcode module for module: ${c.text.length} characters at ${c.level}, mask ${c.mask} (version ${c.version})`, () => {
      const q = encodeQr(c.text, c.level, c.mask);
      expect(q).not.toBeNull();
      expect(q!.version).toBe(c.version);
      const rows = Array.from({ length: q!.size }, (_, y) => q!.dark.slice(y * q!.size, (y + 1) * q!.size).map((d) => (d ? '1' : '0')).join(''));
      expect(rows).toEqual(c.rows);
    });
  }

  it('chooses a mask by penalty and refuses text longer than version 40 holds', () => {
    const q = encodeQr('https://example.com/', 'M');
    expect(q?.version).toBe(2);
    expect(q!.mask).toBeGreaterThanOrEqual(0);
    expect(q!.mask).toBeLessThan(8);
    expect(encodeQr('x'.repeat(2954), 'L')).toBeNull();
    expect(encodeQr('x'.repeat(2953), 'L')?.version).toBe(40);
  });
});
