/**
 * Which mode the workbench shows: `run` (the runs side by side, played back) or `plan` (the planner: many
 * replicas, the answer card, bands). The mode travels in the view state (`panel: "plan"`), so a share link or the
 * saved work made in Plan mode opens in it; opening a preset or a file that carries a plan opens Plan mode too.
 * Edits never switch. Small and free of d3 and the planner, so the first screen holds it and the planner itself
 * loads when Plan mode opens.
 */
import { createSignal } from 'solid-js';
import type { Workspace } from '../stores/workspace.ts';

export type Mode = 'run' | 'plan';

/** The view-state panel id of Plan mode. */
export const PLAN_PANEL = 'plan';

const [mode, setModeSignal] = createSignal<Mode>('run');
let workspace: Workspace | null = null;

/** The mode on screen. */
export { mode };

/** Switches the mode and records it in the view state (links and the saved work carry it). */
export function setMode(m: Mode): void {
  setModeSignal(m);
  const want = m === 'plan' ? PLAN_PANEL : undefined;
  if (workspace && workspace.view.panel !== want && (m === 'plan' || workspace.view.panel === PLAN_PANEL)) workspace.setView({ panel: want });
}

/** The mode a workspace change asks for, or null to keep the mode on screen. */
export function modeAfter(origin: string, hasPlan: boolean, panel: string | undefined): Mode | null {
  if (origin === 'edit') return null;
  if (panel === PLAN_PANEL) return hasPlan ? 'plan' : null;
  if (hasPlan && (origin === 'preset' || origin === 'file')) return 'plan';
  // A link or saved work made in Run mode opens in Run mode, even with a plan.
  return origin === 'link' || origin === 'autosave' || origin === 'preset' || origin === 'file' ? 'run' : null;
}

/** Follows the workspace's opens (modeAfter). Returns the unsubscribe. */
export function followOpens(ws: Workspace): () => void {
  workspace = ws;
  let seen: unknown = null;
  const check = (): void => {
    // Once per opened scenario: a view change (the time cursor, this module's own panel) re-emits the same one.
    if (ws.scenario === seen) return;
    seen = ws.scenario;
    const m = modeAfter(ws.origin, !!ws.scenario.plan, ws.view.panel);
    if (m) setMode(m);
  };
  check();
  return ws.subscribe(check);
}
