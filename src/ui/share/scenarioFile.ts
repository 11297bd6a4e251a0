/**
 * Scenario JSON files: export (pretty JSON and a file name) and import (JSON text → a validated scenario, or
 * messages that name the field). Import never throws; the caller keeps the current work when it fails.
 */
import type { Scenario } from '../../scenario/types.ts';
import { parseScenario } from '../../scenario/validate.ts';

export type ImportResult = { ok: true; scenario: Scenario } | { ok: false; error: string; details: string[] };

/** Largest scenario file read, bytes of text (a trace scenario of a million pods is about 100 MB). */
export const MAX_IMPORT_CHARS = 200 * 1024 * 1024;

/** Pretty JSON of a scenario, ending with a newline (what "Export JSON" saves). */
export function scenarioToJson(scenario: Scenario): string {
  return `${JSON.stringify(scenario, null, 2)}\n`;
}

/** A file name for a scenario: its name in lower-case words joined by dashes, `.json` (`scenario.json` if empty). */
export function scenarioFileName(scenario: Pick<Scenario, 'name'>, ext = 'json'): string {
  const slug = scenario.name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${slug || 'scenario'}.${ext}`;
}

/** Reads a scenario file's text. Never throws; a failure names the JSON position or the scenario field. */
export function importScenarioText(text: string, fileName = 'the file'): ImportResult {
  if (typeof text !== 'string') return { ok: false, error: `${fileName} could not be read as text.`, details: [] };
  if (text.length > MAX_IMPORT_CHARS) return { ok: false, error: `${fileName} is too large (over ${MAX_IMPORT_CHARS / 1048576} MiB).`, details: [] };
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return { ok: false, error: `${fileName} is not valid JSON: ${jsonErrorWhere(text, (e as Error).message)}`, details: [] };
  }
  const r = parseScenario(json);
  if (!r.ok) {
    const more = r.errors.length > 1 ? ` (and ${r.errors.length - 1} more)` : '';
    return { ok: false, error: `${fileName} is not a valid scenario: ${r.errors[0]}${more}.`, details: r.errors };
  }
  return { ok: true, scenario: r.scenario };
}

/** Turns JSON.parse's message into "line L, column C: message" when it gives a position. */
function jsonErrorWhere(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return `line ${line}, column ${col}: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '')}`;
}
