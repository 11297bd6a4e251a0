/** Which engine runs the simulation, and why (from src/engine/select.ts via the worker). */
import type { JSX } from 'solid-js';

/** Engine badge. */
export function EngineBadge(props: { reason: string }): JSX.Element {
  const short = () => (props.reason.startsWith('WebGPU') ? 'WebGPU' : 'CPU engine');
  return (
    <span class="badge" role="status" aria-label={`Engine: ${props.reason}`} title={props.reason}>
      <strong>{short()}</strong>
      <span class="badge-reason">{props.reason.replace(/^CPU engine:?\s*/, '')}</span>
    </span>
  );
}
