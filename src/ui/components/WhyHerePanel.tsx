/**
 * "Why here?": for a pod, the scheduler's explanation (rejected nodes counted by reason, plugin scores of the
 * top nodes) and its recorded decisions; for a GPU, its tenants now and its history (from a replay).
 */
import { For, Match, Show, Switch, type JSX } from 'solid-js';
import { formatSimTime, gib } from '../lib/format.ts';
import { KIND_COLOR } from '../lib/palette.ts';
import type { Workbench } from '../stores/workbench.ts';

/** Side panel for the selected pod or GPU. */
export function WhyHerePanel(props: { wb: Workbench }): JSX.Element {
  const wb = props.wb;
  const label = (run: number): string => wb.layout()?.runs[run]?.label ?? '';
  let closeBtn: HTMLButtonElement | undefined;
  return (
    <Show when={wb.selection()}>
      {(sel) => (
        <aside
          class="why"
          aria-label="Why here?"
          ref={(el) =>
            queueMicrotask(() => {
              closeBtn?.focus() ?? el.focus();
              // The run it explains stays in sight (styles.css makes room beside or above the panel).
              document.querySelectorAll('.runs > .run')[sel().run]?.scrollIntoView({ block: 'nearest' });
            })
          }
          tabindex="-1"
        >
          <header>
            <h2>Why here?</h2>
            <button type="button" ref={closeBtn} aria-label="Close why-here panel" onClick={() => wb.select(null)}>
              ✕
            </button>
          </header>
          <Switch>
            <Match when={sel().type === 'pod' && wb.why()}>
              {(w) => (
                <div>
                  <p>
                    <strong>{w().pod}</strong> ({w().kind}) under <strong>{label(w().run)}</strong>:{' '}
                    {w().phase === 'bound' ? (
                      <>
                        on <strong>{w().node}</strong>, GPU {w().gpus.join(', ') || 'none'}
                      </>
                    ) : (
                      <>{w().phase}</>
                    )}
                  </p>
                  <p class="hint">
                    Asks {w().request.cpuMilli / 1000} CPU, {gib(w().request.memMiB)}
                    {w().request.gpuCount > 0 ? `, ${w().request.gpuCount} GPU × ${w().request.gpuMilli} milli${w().request.gpuMemMiB ? `, ${gib(w().request.gpuMemMiB)} GPU memory` : ''}${w().request.gpuCores ? `, ${w().request.gpuCores}% cores` : ''}` : ''}.
                  </p>
                  <p class="hint">{w().at === 'decision' ? `Explained as the cluster was when it was placed (${formatSimTime(w().atS)}).` : `Explained against the cluster now (${formatSimTime(w().atS)}).`}</p>
                  <Show when={w().explanation}>
                    {(e) => (
                      <>
                        <Show when={e().message}>
                          <p class="message">{e().message}</p>
                        </Show>
                        <p>
                          {e().feasibleNodes} feasible node{e().feasibleNodes === 1 ? '' : 's'}
                          {e().node ? `; the scheduler's pick: ${e().node}` : ''}.
                        </p>
                        <Show when={(e().devices ?? []).length > 0}>
                          <ul aria-label="Devices allocated to the pod's claims">
                            <For each={e().devices}>{(d) => <li>{d}</li>}</For>
                          </ul>
                        </Show>
                        <Show when={Object.keys(e().rejected).length > 0}>
                          <table aria-label="Rejected nodes by reason">
                            <thead>
                              <tr>
                                <th scope="col">Reason</th>
                                <th scope="col">Nodes</th>
                              </tr>
                            </thead>
                            <tbody>
                              <For each={Object.entries(e().rejected).sort((a, b) => b[1] - a[1])}>
                                {([reason, n]) => (
                                  <tr>
                                    <td>{reason}</td>
                                    <td class="num">{n}</td>
                                  </tr>
                                )}
                              </For>
                            </tbody>
                          </table>
                        </Show>
                        <Show when={e().top.length > 0}>
                          <table aria-label="Top nodes by score">
                            <thead>
                              <tr>
                                <th scope="col">Node</th>
                                <th scope="col">Total</th>
                                <th scope="col">Plugin scores (raw → normalized × weight)</th>
                              </tr>
                            </thead>
                            <tbody>
                              <For each={e().top}>
                                {(c) => (
                                  <tr>
                                    <td>{c.node}</td>
                                    <td class="num">{+c.total.toFixed(3)}</td>
                                    <td>{c.plugins.map((p) => `${p.plugin}: ${+p.raw.toFixed(3)} → ${+p.normalized.toFixed(3)} × ${p.weight}`).join('; ')}</td>
                                  </tr>
                                )}
                              </For>
                            </tbody>
                          </table>
                        </Show>
                      </>
                    )}
                  </Show>
                  <Show when={w().decisions.length > 0}>
                    <h3>Decisions</h3>
                    <ul>
                      <For each={w().decisions}>{(d) => <li>{formatSimTime(d.tS)}: {d.node ? `bound to ${d.node}, GPU ${d.gpus.join(', ') || 'none'}` : `not placed: ${d.reason}`}</li>}</For>
                    </ul>
                  </Show>
                </div>
              )}
            </Match>
            <Match when={sel().type === 'gpu' && wb.history()}>
              {(h) => {
                const tenants = () => {
                  const set = new Map<string, string>();
                  for (const e of h().entries) {
                    if (e.action === 'in') set.set(e.pod, e.kind);
                    else set.delete(e.pod);
                  }
                  return [...set];
                };
                return (
                  <div>
                    <p>
                      <strong>
                        {h().node} GPU {h().gpu}
                      </strong>{' '}
                      ({h().model}, {gib(h().memMiB)}) under <strong>{label(h().run)}</strong>
                    </p>
                    <h3>Tenants now</h3>
                    <Show when={tenants().length > 0} fallback={<p class="hint">None.</p>}>
                      <ul class="tenants">
                        <For each={tenants()}>
                          {([pod, kind]) => (
                            <li>
                              <button type="button" class="chip" style={{ 'border-color': KIND_COLOR[kind as keyof typeof KIND_COLOR] }} aria-label={`Why is ${pod} here?`} onClick={() => wb.select({ type: 'pod', run: h().run, pod })}>
                                {pod}
                              </button>
                            </li>
                          )}
                        </For>
                      </ul>
                    </Show>
                    <h3>History</h3>
                    <Show when={h().entries.length > 0} fallback={<p class="hint">Nothing ran on this GPU yet.</p>}>
                      <ol class="history" aria-label="GPU history">
                        <For each={h().entries}>
                          {(e) => (
                            <li>
                              {formatSimTime(e.tS)} {e.action === 'in' ? '→ in' : '← out'} <strong>{e.pod}</strong> ({e.kind}, {e.milli} milli{e.memMiB ? `, ${gib(e.memMiB)}` : ''}); booked {e.usedMilli} milli, {gib(e.usedMemMiB)}
                            </li>
                          )}
                        </For>
                      </ol>
                      <Show when={h().truncated}>
                        <p class="hint">Only the first {h().entries.length} changes are shown.</p>
                      </Show>
                    </Show>
                  </div>
                );
              }}
            </Match>
          </Switch>
        </aside>
      )}
    </Show>
  );
}
