/**
 * Scenario links: the whole scenario plus the view state in the URL `#hash`.
 *
 * Format (link format 1): `#s1.` + base64url(deflate(UTF-8(JSON.stringify({ scenario, view })))), raw DEFLATE
 * (RFC 1951, fflate level 9), base64url without padding (RFC 4648 §5). The `s<N>.` prefix is the version of the
 * link envelope; the scenario inside carries its own format `version` and goes through the scenario migrations
 * (migrate.ts, via parseScenario), so a link made by an older Slicebench keeps opening.
 *
 * Decoding never throws: a malformed, truncated, oversized or future-version link gives `{ ok: false, error }`
 * with a message meant for the user, and the caller leaves the current work alone.
 */
import { Inflate, deflateSync, strFromU8, strToU8 } from 'fflate';
import type { Scenario } from './types.ts';
import { parseScenario } from './validate.ts';

/** Version of the link envelope (the `s1.` prefix). */
export const LINK_VERSION = 1;
/** Longest hash the decoder looks at, characters (browsers keep URLs of a few MB; a link this long is not typed). */
export const MAX_LINK_CHARS = 4_000_000;
/** Largest unpacked JSON the decoder accepts, bytes (guards against a deflate bomb). */
export const MAX_UNPACKED_BYTES = 32 * 1024 * 1024;

/** View state that travels with the scenario: what the person who shared it was looking at. */
export interface ViewState {
  /** Time cursor, simulated seconds from the start. */
  timeS?: number;
  /** Selected panel or chart id (e.g. `charts`, `cluster`, `compare`). */
  panel?: string;
  /** Selected profiles, as indices into `scenario.schedulers`. */
  profiles?: number[];
  /** Id of the preset the scenario came from (for "reset to preset" and its story). */
  preset?: string;
  /** Current story step (presenter mode), 0-based. */
  step?: number;
  /** Playback speed, simulated seconds per wall second (links made before it was shared open at the default). */
  speed?: number;
  /** The FGD paper grid's settings (Plan mode, after an openb import): its seeds as typed and its random numbers. */
  paper?: PaperView;
}

/** The paper grid's settings in a view (src/ui/plan/PaperGridPanel.tsx; the openb files themselves never travel). */
export interface PaperView {
  /** The seeds field as typed (`42..51`, `1, 3, 5`); the panel parses it and says when it is not a seed list. */
  seeds?: string;
  /** Random numbers: Slicebench's or Go's (the artifact's, replaying the published runs). */
  rng?: 'slicebench' | 'go';
}

/** Longest seeds text a link may carry, characters (100 uint32 seeds typed as a list fit). */
export const MAX_PAPER_SEEDS_CHARS = 2000;

/** Fastest playback speed a link may ask for, simulated seconds per wall second. */
export const MAX_LINK_SPEED = 1_000_000;

/** What a link carries. */
export interface SharedState {
  scenario: Scenario;
  view: ViewState;
}

export type DecodeResult =
  | { ok: true; state: SharedState; /** View fields that were dropped (the scenario opens anyway). */ warnings: string[] }
  | { ok: false; /** One sentence for the user. */ error: string; /** Field-level details (scenario validation messages). */ details: string[] };

const PREFIX_RE = /^s(\d{1,6})\./;
const PANEL_RE = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Encodes a scenario and view state as a hash fragment, `#s1.…`. */
export function encodeShareHash(scenario: Scenario, view: ViewState = {}): string {
  const json = JSON.stringify({ scenario, view: cleanView(view) });
  return `#s${LINK_VERSION}.${base64UrlEncode(deflateSync(strToU8(json), { level: 9, mem: 8 }))}`;
}

/** True when the hash looks like a scenario link of any version (the app routes other hashes elsewhere). */
export function isShareHash(hash: string): boolean {
  return PREFIX_RE.test(hash.startsWith('#') ? hash.slice(1) : hash);
}

/** Decodes a hash made by encodeShareHash (with or without the leading `#`). Never throws. */
export function decodeShareHash(hash: unknown): DecodeResult {
  try {
    return decodeUnsafe(hash);
  } catch (e) {
    // Every expected failure is handled below; this is a last guard so the boundary never throws.
    return fail(`This link could not be opened (${String((e as Error)?.message ?? e).slice(0, 120)}).`);
  }
}

function fail(error: string, details: string[] = []): DecodeResult {
  return { ok: false, error, details };
}

function decodeUnsafe(hash: unknown): DecodeResult {
  if (typeof hash !== 'string') return fail('This link does not contain a Slicebench scenario.');
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (h.length === 0) return fail('This link does not contain a Slicebench scenario.');
  if (h.length > MAX_LINK_CHARS) return fail(`This link is too long (${h.length} characters; at most ${MAX_LINK_CHARS} are read).`);
  const m = PREFIX_RE.exec(h);
  if (!m) return fail('This is not a Slicebench scenario link: it should start with "#s1." after the address.');
  const version = Number(m[1]);
  if (version > LINK_VERSION) {
    return fail(`This link was made by a newer Slicebench (link format ${version}; this version reads format ${LINK_VERSION}). Reload the page to get the latest version, then open the link again.`);
  }
  if (version < 1) return fail(`This link has an unknown format (s${m[1]}).`);
  const body = h.slice(m[0].length);
  if (body.length === 0) return fail('This link is cut off: it has no scenario after "#s1.". Copy the whole link again.');
  const bytes = base64UrlDecode(body);
  if (typeof bytes === 'string') return fail(bytes);
  const unpacked = inflateLimited(bytes, MAX_UNPACKED_BYTES);
  if (typeof unpacked === 'string') return fail(unpacked);
  let text: string;
  try {
    text = strFromU8(unpacked);
  } catch {
    return fail('This link is damaged: its content is not valid text. Copy the whole link again.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('This link is damaged: its content is not valid JSON. Copy the whole link again.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !('scenario' in json)) {
    return fail('This link is damaged: it has no scenario inside.');
  }
  const env = json as { scenario: unknown; view?: unknown };
  const parsed = parseScenario(env.scenario);
  if (!parsed.ok) {
    const first = parsed.errors[0] ?? 'unknown error';
    const more = parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more)` : '';
    return fail(`The scenario in this link cannot be opened: ${first}${more}.`, parsed.errors);
  }
  const warnings: string[] = [];
  const view = readView(env.view, parsed.scenario, warnings);
  return { ok: true, state: { scenario: parsed.scenario, view }, warnings };
}

/** Keeps only the known, well-formed view fields (a link must not fail because of its view state). */
function readView(v: unknown, scenario: Scenario, warnings: string[]): ViewState {
  const out: ViewState = {};
  if (v === undefined) return out;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    warnings.push('view: ignored (not an object)');
    return out;
  }
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const x = o[key];
    switch (key) {
      case 'timeS':
        if (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= scenario.sim.durationS) out.timeS = x;
        else warnings.push(`view.timeS: ignored (must be an integer between 0 and ${scenario.sim.durationS})`);
        break;
      case 'panel':
        if (typeof x === 'string' && PANEL_RE.test(x)) out.panel = x;
        else warnings.push('view.panel: ignored (not a panel id)');
        break;
      case 'preset':
        if (typeof x === 'string' && PANEL_RE.test(x)) out.preset = x;
        else warnings.push('view.preset: ignored (not a preset id)');
        break;
      case 'step':
        if (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 1000) out.step = x;
        else warnings.push('view.step: ignored (must be an integer between 0 and 999)');
        break;
      case 'speed':
        if (typeof x === 'number' && Number.isFinite(x) && x > 0 && x <= MAX_LINK_SPEED) out.speed = x;
        else warnings.push(`view.speed: ignored (must be a number above 0 and at most ${MAX_LINK_SPEED.toLocaleString('en-US')})`);
        break;
      case 'paper': {
        const paper = readPaperView(x, warnings);
        if (paper) out.paper = paper;
        break;
      }
      case 'profiles':
        if (Array.isArray(x) && x.length <= scenario.schedulers.length && x.every((i) => Number.isInteger(i) && i >= 0 && i < scenario.schedulers.length) && new Set(x).size === x.length) {
          out.profiles = [...(x as number[])];
        } else warnings.push(`view.profiles: ignored (must be distinct indices below ${scenario.schedulers.length})`);
        break;
      default:
        warnings.push(`view.${key.slice(0, 40)}: ignored (unknown field)`);
    }
  }
  return out;
}

/** The paper grid's settings of a link, each malformed field dropped with a warning naming it; null when none is left. */
function readPaperView(x: unknown, warnings: string[]): PaperView | null {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    warnings.push('view.paper: ignored (must be an object with the paper grid\'s seeds and rng)');
    return null;
  }
  const out: PaperView = {};
  for (const [key, v] of Object.entries(x as Record<string, unknown>)) {
    if (key === 'seeds') {
      if (typeof v === 'string' && v.trim() !== '' && v.length <= MAX_PAPER_SEEDS_CHARS) out.seeds = v;
      else warnings.push(`view.paper.seeds: ignored (must be the seeds as typed, 1 to ${MAX_PAPER_SEEDS_CHARS} characters, e.g. "42..51")`);
    } else if (key === 'rng') {
      if (v === 'slicebench' || v === 'go') out.rng = v;
      else warnings.push(`view.paper.rng: ignored (must be "slicebench" or "go", got ${JSON.stringify(v)?.slice(0, 40) ?? String(v)})`);
    } else warnings.push(`view.paper.${key.slice(0, 40)}: ignored (unknown field)`);
  }
  return out.seeds !== undefined || out.rng !== undefined ? out : null;
}

/** Drops undefined view fields so that the encoded link is stable. */
function cleanView(view: ViewState): ViewState {
  const out: ViewState = {};
  if (view.timeS !== undefined) out.timeS = view.timeS;
  if (view.panel !== undefined) out.panel = view.panel;
  if (view.profiles !== undefined) out.profiles = [...view.profiles];
  if (view.preset !== undefined) out.preset = view.preset;
  if (view.step !== undefined) out.step = view.step;
  if (view.speed !== undefined) out.speed = view.speed;
  if (view.paper && (view.paper.seeds !== undefined || view.paper.rng !== undefined)) {
    out.paper = {};
    if (view.paper.seeds !== undefined) out.paper.seeds = view.paper.seeds;
    if (view.paper.rng !== undefined) out.paper.rng = view.paper.rng;
  }
  return out;
}

/**
 * Compressed bytes fed to the inflater per step. DEFLATE expands at most about 1,032×, so one step yields at most
 * ~1 MiB and a bomb is stopped within a step of the limit instead of after unpacking all of it (a 1 GiB payload
 * froze the page for 5 s before the size check ran; issue 19).
 */
export const INFLATE_SLICE_BYTES = 1024;

/**
 * Unpacks raw DEFLATE data in slices, refusing output above `maxBytes`; a message instead of bytes on failure.
 * `onChunk` sees each unpacked chunk's size (tests use it to check that no step allocates the whole output).
 */
export function inflateLimited(data: Uint8Array, maxBytes: number, onChunk?: (bytes: number) => void): Uint8Array | string {
  const parts: Uint8Array[] = [];
  let total = 0;
  let tooBig = false;
  const inflater = new Inflate((chunk) => {
    onChunk?.(chunk.length);
    total += chunk.length;
    if (total > maxBytes) {
      tooBig = true;
      throw new Error('too big');
    }
    parts.push(chunk);
  });
  try {
    if (data.length === 0) inflater.push(data, true);
    for (let at = 0; at < data.length; at += INFLATE_SLICE_BYTES) {
      const end = Math.min(data.length, at + INFLATE_SLICE_BYTES);
      inflater.push(data.subarray(at, end), end === data.length);
    }
  } catch (e) {
    if (tooBig) return `This link unpacks to more than ${Math.round(maxBytes / 1048576)} MiB (the limit); it was refused.`;
    const why = (e as Error)?.message === 'unexpected EOF' ? 'it is cut off' : 'its compressed data is corrupt';
    return `This link is damaged: ${why}. Copy the whole link again.`;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();

/** base64url without padding (RFC 4648 §5). */
export function base64UrlEncode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63];
  }
  return out;
}

/** Strict base64url decoding (no padding, no whitespace); a user-facing message on bad input. */
export function base64UrlDecode(s: string): Uint8Array | string {
  if (s.length % 4 === 1) return 'This link is damaged: it is cut off or has extra characters. Copy the whole link again.';
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c] : -1;
    if (v < 0) return `This link is damaged: it contains a character that does not belong in it (${JSON.stringify(s[i])} at position ${i + 1}). Copy the whole link again.`;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}
