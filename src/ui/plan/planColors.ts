/**
 * One colour per scheduler profile in the planner's charts, the same in every chart and every plan: a fixed
 * order over the profile catalog (Okabe–Ito first, then Tableau 10), so a profile keeps its colour whichever
 * profiles a plan picks.
 */
import { PROFILE_CATALOG } from '../../scenario/profileCatalog.ts';

const COLORS = ['#56B4E9', '#E69F00', '#009E73', '#CC79A7', '#F0E442', '#0072B2', '#D55E00', '#9c755f', '#bab0ac', '#b07aa1', '#76b7b2', '#ff9da7', '#59a14f', '#edc948'];

/** The colour of a profile (grey for a name not in the catalog). */
export function planColor(profile: string): string {
  const i = PROFILE_CATALOG.findIndex((p) => p.name === profile);
  return i < 0 ? '#999999' : COLORS[i % COLORS.length];
}
