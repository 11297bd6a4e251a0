/**
 * Benchmark sections for `npm run bench`: each section registers a function returning rows of figures.
 * Sections are registered by src/cli/bench.ts (one import or one registerBench line per section).
 */

/** One line of a benchmark table: named figures, printed in insertion order. */
export type BenchRow = Record<string, string | number | boolean | null>;

export interface BenchSection {
  name: string;
  /** One sentence: what is measured. */
  title: string;
  run(options: BenchOptions): Promise<BenchRow[]> | BenchRow[];
}

export interface BenchOptions {
  /** Shorter runs (CI smoke): fewer sizes/repetitions. */
  quick: boolean;
}

const SECTIONS: BenchSection[] = [];

/** Adds a section (names are unique). */
export function registerBench(section: BenchSection): void {
  if (SECTIONS.some((s) => s.name === section.name)) throw new Error(`duplicate bench section: ${section.name}`);
  SECTIONS.push(section);
}

/** The registered sections, in registration order. */
export function benchSections(): readonly BenchSection[] {
  return SECTIONS;
}
