/**
 * The paper grid's settings (seeds as typed, random numbers) as they travel in the view state (scenario/urlCodec.ts
 * ViewState.paper): the share link and the saved work carry them, and a link's malformed seeds list is said in the
 * panel instead of silently replaced. Pure, unit-tested in test/ui/paperSettings.test.ts.
 */
import type { PaperView } from '../../scenario/urlCodec.ts';
import { parseNumberList, type ListRules } from './planText.ts';

/** The panel's "Random numbers" choice (the planner worker's PaperBatchRequest.rng). */
export type PaperRngChoice = 'slicebench' | 'go';

/** The panel's settings. */
export interface PaperSettings {
  seedsText: string;
  rng: PaperRngChoice;
}

/** What a fresh panel shows. */
export const DEFAULT_PAPER_SETTINGS: Readonly<PaperSettings> = { seedsText: '1..5', rng: 'slicebench' };

/** The seeds field's rules: whole seeds Go's and our generators take (uint32), at most 100 per grid. */
export const PAPER_SEED_RULES: ListRules = { integer: true, min: 0, max: 4294967295, maxValues: 100 };

/** Parses the seeds field (the message says what to type). */
export function parsePaperSeeds(text: string): ReturnType<typeof parseNumberList> {
  return parseNumberList(text, PAPER_SEED_RULES);
}

/**
 * The settings a view carries (a link, the saved work: either may be old or hand-edited, so every field is checked),
 * the defaults for what it lacks, and a message when its seeds are not a seed list (they are kept, to be corrected).
 */
export function paperSettingsOf(view: PaperView | undefined): { settings: PaperSettings; error: string | null } {
  const v = (typeof view === 'object' && view !== null ? view : {}) as Record<string, unknown>;
  const seedsText = typeof v.seeds === 'string' ? v.seeds : DEFAULT_PAPER_SETTINGS.seedsText;
  const rng = v.rng === 'go' || v.rng === 'slicebench' ? v.rng : DEFAULT_PAPER_SETTINGS.rng;
  const parsed = parsePaperSeeds(seedsText);
  return { settings: { seedsText, rng }, error: parsed.ok ? null : `Seeds (from the shared link or saved work): ${parsed.error}` };
}

/** The view-state field for the panel's settings. */
export function paperViewOf(s: PaperSettings): PaperView {
  return { seeds: s.seedsText, rng: s.rng };
}
