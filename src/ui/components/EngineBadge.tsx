/**
 * Which engine runs the simulation, and why (from src/worker/engineInfo.ts via the worker): the engine and a few
 * words in the toolbar. Hover, a tap or keyboard focus opens its panel: the whole sentence and the engine choice
 * (Auto / CPU / GPU, `children`). The choice buttons stay in the tab order and the accessibility tree while the
 * panel is closed (visually hidden, not removed): tabbing onto one opens the panel. The sentence is also in the
 * help overlay.
 */
import type { JSX } from 'solid-js';
import { engineLine, engineSentence } from '../lib/engineLine.ts';
import type { EngineStatus } from '../../worker/protocol.ts';

/** Engine badge with its panel (the full line, then `children`: the engine choice). */
export function EngineBadge(props: { status: EngineStatus; children?: JSX.Element }): JSX.Element {
  const line = () => engineLine(props.status);
  const sentence = () => engineSentence(props.status);
  return (
    <div class="engine-menu">
      <span class="badge" role="status" tabindex="0" aria-label={`Engine: ${sentence()}`}>
        <strong>{line().engine}</strong>
        <span class="badge-reason">{line().short}</span>
      </span>
      <div class="badge-tip">
        <p class="badge-line" aria-hidden="true">
          {sentence()}
        </p>
        {props.children}
      </div>
    </div>
  );
}
