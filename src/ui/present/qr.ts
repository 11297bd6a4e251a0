/**
 * A QR code encoder (ISO/IEC 18004) for one use: the share link on presenter mode's closing slide. Byte mode only,
 * versions 1–40, error correction L/M/Q/H, Reed–Solomon over GF(256) with the field polynomial 0x11D, the eight
 * data masks scored by the standard's four penalty rules. Written here rather than added as a dependency (the
 * team adds none); test/ui/qr.test.ts checks it against vectors made by an independent encoder.
 */

/** Error correction level: about 7 %, 15 %, 25 %, 30 % of the codewords recoverable. */
export type QrLevel = 'L' | 'M' | 'Q' | 'H';

/** A finished symbol: `size`×`size` modules, `dark[y * size + x]` true for a dark module (no quiet zone). */
export interface QrCode {
  version: number;
  level: QrLevel;
  mask: number;
  size: number;
  dark: boolean[];
}

const LEVELS: QrLevel[] = ['L', 'M', 'Q', 'H'];
/** The two format bits of each level (the standard's table 12: L=01, M=00, Q=11, H=10). */
const LEVEL_BITS: Record<QrLevel, number> = { L: 1, M: 0, Q: 3, H: 2 };

// The standard's table 9, by level then version (index 0 unused): error correction codewords per block, and blocks.
const ECC_PER_BLOCK: Record<QrLevel, number[]> = {
  L: [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  M: [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
  Q: [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  H: [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
};
const BLOCKS: Record<QrLevel, number[]> = {
  L: [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
  M: [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
  Q: [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
  H: [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
};

// GF(256) with x^8 + x^4 + x^3 + x^2 + 1 (0x11D), the standard's field; log/antilog tables for multiplication.
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255];
}

function gfMul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a] + LOG[b]];
}

/** The Reed–Solomon error correction codewords of `data`: the remainder of data·x^n divided by ∏(x − αⁱ), i < n. */
export function reedSolomon(data: readonly number[], n: number): number[] {
  // Generator coefficients, highest degree first without the leading 1.
  let gen = [1];
  for (let i = 0; i < n; i++) {
    const next = new Array<number>(gen.length + 1).fill(0);
    for (let j = 0; j < gen.length; j++) {
      next[j] ^= gen[j];
      next[j + 1] ^= gfMul(gen[j], EXP[i]);
    }
    gen = next;
  }
  const rem = new Array<number>(n).fill(0);
  for (const b of data) {
    const factor = b ^ rem[0];
    rem.shift();
    rem.push(0);
    for (let j = 0; j < n; j++) rem[j] ^= gfMul(gen[j + 1], factor);
  }
  return rem;
}

/** Positions of the alignment pattern centres on each axis (empty for version 1). */
function alignmentCentres(version: number): number[] {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const size = version * 4 + 17;
  // Evenly spaced from the last row back to the second, an even step (26 for version 32, the standard's exception).
  const step = version === 32 ? 26 : Math.ceil((size - 13) / (count * 2 - 2)) * 2;
  const out = [6];
  for (let p = size - 7; out.length < count; p -= step) out.splice(1, 0, p);
  return out;
}

/** Codewords (data and error correction) a version holds: its modules less the function patterns, in bytes. */
function totalCodewords(version: number): number {
  let modules = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const a = Math.floor(version / 7) + 2;
    modules -= (25 * a - 10) * a - 55;
    if (version >= 7) modules -= 36;
  }
  return Math.floor(modules / 8);
}

/** Data codewords of a version at a level. */
function dataCodewords(version: number, level: QrLevel): number {
  return totalCodewords(version) - ECC_PER_BLOCK[level][version] * BLOCKS[level][version];
}

/** The BCH remainder of `value` (already shifted) by `poly` of degree `degree`. */
function bch(value: number, poly: number, degree: number): number {
  let v = value;
  for (let i = Math.floor(Math.log2(v || 1)); i >= degree; i--) if (v & (1 << i)) v ^= poly << (i - degree);
  return v;
}

/** The 15 format bits for a level and mask (BCH(15,5), XORed with 101010000010010). */
export function formatBits(level: QrLevel, mask: number): number {
  const d = (LEVEL_BITS[level] << 3) | mask;
  return ((d << 10) | bch(d << 10, 0x537, 10)) ^ 0x5412;
}

/** The 18 version bits (BCH(18,6)), versions 7 and up. */
export function versionBits(version: number): number {
  return (version << 12) | bch(version << 12, 0x1f25, 12);
}

const MASKS: ((x: number, y: number) => boolean)[] = [
  (x, y) => (x + y) % 2 === 0,
  (_x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(y / 2) + Math.floor(x / 3)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

/** The smallest version that holds `bytes` in byte mode at `level`, or null when none does. */
function fitVersion(bytes: number, level: QrLevel): number | null {
  for (let v = 1; v <= 40; v++) {
    const bits = 4 + (v <= 9 ? 8 : 16) + bytes * 8;
    if (bits <= dataCodewords(v, level) * 8) return v;
  }
  return null;
}

/** The data codewords: mode, count, bytes, terminator, padding to the capacity with 0xEC 0x11. */
function dataStream(bytes: Uint8Array, version: number, level: QrLevel): number[] {
  const bits: number[] = [];
  const put = (value: number, n: number): void => {
    for (let i = n - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  put(0b0100, 4);
  put(bytes.length, version <= 9 ? 8 : 16);
  for (const b of bytes) put(b, 8);
  const capacity = dataCodewords(version, level) * 8;
  put(0, Math.min(4, capacity - bits.length));
  put(0, (8 - (bits.length % 8)) % 8);
  const out: number[] = [];
  for (let i = 0; i < bits.length; i += 8) out.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  for (let pad = 0xec; out.length < capacity / 8; pad ^= 0xec ^ 0x11) out.push(pad);
  return out;
}

/** Splits the data into blocks, adds each block's error correction, and interleaves (the standard's 7.6). */
function interleave(data: number[], version: number, level: QrLevel): number[] {
  const nBlocks = BLOCKS[level][version];
  const ecc = ECC_PER_BLOCK[level][version];
  const total = totalCodewords(version);
  const longBlocks = total % nBlocks;
  const shortData = Math.floor(total / nBlocks) - ecc;
  const blocks: number[][] = [];
  const eccs: number[][] = [];
  let at = 0;
  for (let b = 0; b < nBlocks; b++) {
    const len = shortData + (b >= nBlocks - longBlocks ? 1 : 0);
    const block = data.slice(at, at + len);
    at += len;
    blocks.push(block);
    eccs.push(reedSolomon(block, ecc));
  }
  const out: number[] = [];
  for (let i = 0; i <= shortData; i++) for (const block of blocks) if (i < block.length) out.push(block[i]);
  for (let i = 0; i < ecc; i++) for (const e of eccs) out.push(e[i]);
  return out;
}

/** The penalty score of a masked symbol (the standard's 7.8.3: runs, 2×2 blocks, finder look-alikes, balance). */
function penalty(dark: boolean[], size: number): number {
  let score = 0;
  const at = (x: number, y: number, rows: boolean): boolean => (rows ? dark[y * size + x] : dark[x * size + y]);
  for (const rows of [true, false]) {
    for (let y = 0; y < size; y++) {
      let run = 1;
      for (let x = 1; x <= size; x++) {
        if (x < size && at(x, y, rows) === at(x - 1, y, rows)) run++;
        else {
          if (run >= 5) score += run - 2;
          run = 1;
        }
      }
      // 1:1:3:1:1 dark-light-dark-dark-dark-light-dark with four light modules on one side (outside counts as light).
      for (let x = -4; x < size; x++) {
        const m = (i: number): boolean => x + i >= 0 && x + i < size && at(x + i, y, rows);
        const core = m(4) && !m(5) && m(6) && m(7) && m(8) && !m(9) && m(10);
        if (!core) continue;
        const before = !m(0) && !m(1) && !m(2) && !m(3);
        const after = !m(11) && !m(12) && !m(13) && !m(14);
        if (before || after) score += 40;
      }
    }
  }
  for (let y = 0; y < size - 1; y++)
    for (let x = 0; x < size - 1; x++) {
      const c = dark[y * size + x];
      if (c === dark[y * size + x + 1] && c === dark[(y + 1) * size + x] && c === dark[(y + 1) * size + x + 1]) score += 3;
    }
  const nDark = dark.reduce((n, d) => n + (d ? 1 : 0), 0);
  const total = size * size;
  score += Math.floor(Math.abs(nDark * 20 - total * 10) / total) * 10;
  return score;
}

/**
 * Encodes `text` (as UTF-8) in byte mode at `level`, in the smallest version that holds it; `mask` forces one of
 * the eight masks (else the one with the lowest penalty). Returns null when the text does not fit version 40.
 */
export function encodeQr(text: string, level: QrLevel = 'M', mask?: number): QrCode | null {
  const bytes = new TextEncoder().encode(text);
  const version = fitVersion(bytes.length, level);
  if (version === null) return null;
  const size = version * 4 + 17;
  const dark = new Array<boolean>(size * size).fill(false);
  const fixed = new Array<boolean>(size * size).fill(false);
  const set = (x: number, y: number, d: boolean): void => {
    dark[y * size + x] = d;
    fixed[y * size + x] = true;
  };
  // Timing patterns, then finders with their separators, then alignment patterns (which overwrite nothing fixed).
  for (let i = 0; i < size; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [[3, 3], [size - 4, 3], [3, size - 4]])
    for (let dy = -4; dy <= 4; dy++)
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        if (x < 0 || y < 0 || x >= size || y >= size) continue;
        const r = Math.max(Math.abs(dx), Math.abs(dy));
        set(x, y, r !== 2 && r !== 4);
      }
  const centres = alignmentCentres(version);
  for (const cy of centres)
    for (const cx of centres) {
      if ((cx === 6 && cy === 6) || (cx === 6 && cy === size - 7) || (cx === size - 7 && cy === 6)) continue;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) set(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    }
  // Reserve the format areas (written per mask below) and the dark module; write the version blocks.
  const writeFormat = (put: (x: number, y: number, d: boolean) => void, bits: number): void => {
    const bit = (i: number): boolean => ((bits >>> i) & 1) === 1;
    for (let i = 0; i <= 5; i++) put(8, i, bit(i));
    put(8, 7, bit(6));
    put(8, 8, bit(7));
    put(7, 8, bit(8));
    for (let i = 9; i < 15; i++) put(14 - i, 8, bit(i));
    for (let i = 0; i < 8; i++) put(size - 1 - i, 8, bit(i));
    for (let i = 8; i < 15; i++) put(8, size - 15 + i, bit(i));
    put(8, size - 8, true);
  };
  writeFormat(set, 0);
  if (version >= 7) {
    const v = versionBits(version);
    for (let i = 0; i < 18; i++) {
      const d = ((v >>> i) & 1) === 1;
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      set(a, b, d);
      set(b, a, d);
    }
  }
  // The codewords, two columns at a time from the right, up then down, skipping the vertical timing column.
  const codewords = interleave(dataStream(bytes, version, level), version, level);
  let i = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let v = 0; v < size; v++) {
      const y = upward ? size - 1 - v : v;
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        if (fixed[y * size + x]) continue;
        dark[y * size + x] = i < codewords.length * 8 && ((codewords[i >>> 3] >>> (7 - (i & 7))) & 1) === 1;
        i++;
      }
    }
  }
  const masked = (m: number): boolean[] => {
    const out = dark.slice();
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (!fixed[y * size + x] && MASKS[m](x, y)) out[y * size + x] = !out[y * size + x];
    writeFormat((x, y, d) => void (out[y * size + x] = d), formatBits(level, m));
    return out;
  };
  let best = mask ?? 0;
  let bestDark = masked(best);
  if (mask === undefined) {
    let bestScore = penalty(bestDark, size);
    for (let m = 1; m < 8; m++) {
      const d = masked(m);
      const s = penalty(d, size);
      if (s < bestScore) [best, bestDark, bestScore] = [m, d, s];
    }
  }
  return { version, level, mask: best, size, dark: bestDark };
}

/** The levels, lowest redundancy first (for callers that step up while the symbol stays small). */
export const QR_LEVELS: readonly QrLevel[] = LEVELS;
