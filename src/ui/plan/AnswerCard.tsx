/**
 * The plan's answer, one line per scheduler: the smallest cluster of the grid that meets every target in enough
 * seeds, its GPU count and price, and the saving against `k8s-default` ("hami-binpack: 9 nodes, 72 GPUs, −36 %").
 * A region named "Plan answer"; it fills in as replicas finish and says how many seeds each answer rests on.
 */
import { For, Show, type JSX } from 'solid-js';
import { planColor } from './planColors.ts';

/** One scheduler's answer as the card shows it. */
export interface AnswerLine {
  profile: string;
  /** Scale label of the cluster (e.g. "1.25×" or "a100=6, h100=2"), or null when no scale meets the targets. */
  scaleLabel: string | null;
  nodes: number | null;
  gpus: number | null;
  costPerHourUsd: number | null;
  /** The saving against k8s-default in words (src/plan/ answer's `savingText`: `−36 %`, `baseline`, or ''). */
  savingText: string;
  /** Knob value of the answer (`splitCount=4`), or ''. */
  knob: string;
  /** Demand scale, shown when the plan has several. */
  demand: string | null;
  /** False while a replica that could change this answer is still running. */
  final: boolean;
  /** Seeds finished at the answer's cluster (or over the whole row when none meets). */
  seeds: number;
  /** The target that failed most at the largest cluster, when none meets. */
  binding: string | null;
}

/** The answer card. */
export function AnswerCard(props: { lines: readonly AnswerLine[]; confidencePct: number; complete: boolean }): JSX.Element {
  return (
    <section class="card plan-answer" role="region" aria-label="Plan answer" aria-live="polite">
      <h3>
        Smallest cluster meeting every target in ≥ {props.confidencePct} % of seeds
        <Show when={!props.complete}>
          <span class="hint"> (so far)</span>
        </Show>
      </h3>
      <Show when={props.lines.length > 0} fallback={<p class="hint">No replica has finished yet.</p>}>
        <ul class="plan-answer-lines">
          <For each={props.lines}>
            {(l) => (
              <li data-profile={l.profile} data-meets={l.scaleLabel !== null ? 'true' : 'false'}>
                <span class="swatch" style={{ background: planColor(l.profile) }} aria-hidden="true" />
                <strong>{l.profile}</strong>
                {l.demand ? ` at demand ${l.demand}` : ''}:{' '}
                <Show when={l.scaleLabel !== null} fallback={<span class="plan-none">no cluster in the grid meets the targets{l.binding ? ` (binding: ${l.binding})` : ''}</span>}>
                  <span data-metric="nodes">{`${l.nodes} nodes`}</span>
                  {', '}
                  <span data-metric="gpus">{`${l.gpus} GPUs`}</span>
                  {', '}
                  <span data-metric="cost">{`$${l.costPerHourUsd?.toFixed(2)}/h`}</span>
                  <Show when={l.savingText && l.savingText !== 'baseline'}>
                    {', '}
                    <span data-metric="saving">{/%$/.test(l.savingText) ? `${l.savingText} vs k8s-default` : l.savingText}</span>
                  </Show>
                  <span class="hint">{` at ${l.scaleLabel}${l.knob ? `, ${l.knob}` : ''}${l.final ? '' : ' (may change)'}`}</span>
                </Show>
                <span class="hint"> · {l.seeds} seeds</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
