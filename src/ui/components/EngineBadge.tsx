/**
 * Which engine runs the simulation, and why (from src/engine/select.ts via the worker): the engine and a few
 * words in the toolbar; the whole sentence on hover and keyboard focus (a tooltip) and in the help overlay.
 */
import type { JSX } from 'solid-js';
import { engineLine } from '../lib/engineLine.ts';

/** Engine badge. */
export function EngineBadge(props: { reason: string }): JSX.Element {
  const line = () => engineLine(props.reason);
  return (
    <span class="badge" role="status" tabindex="0" aria-label={`Engine: ${props.reason}`}>
      <strong>{line().engine}</strong>
      <span class="badge-reason">{line().short}</span>
      <span class="badge-tip" aria-hidden="true">
        {props.reason}
      </span>
    </span>
  );
}
