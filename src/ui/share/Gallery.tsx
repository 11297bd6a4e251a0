/**
 * The presets gallery (`#/gallery`): one card per preset with a thumbnail of its claim (a tiny chart of the
 * claim's metric per scheduler, real numbers precomputed into preset-charts.json; the cluster drawing while
 * they load or for a preset without one yet), its claim, its explanation and the numbers it should show.
 */
import { createResource, For, Show, type JSX } from 'solid-js';
import { claimChartSvg, type PresetChartsFile } from './claimChart.ts';
import { CLAIMS } from './presetManifest.ts';
import { shareCtx, shareReady } from './controller.ts';
import { clusterThumbnailSvg } from './thumbnail.ts';
import { startPresenting } from '../present/Presenter.tsx';

/** The precomputed claim charts (null when the file cannot be read: the cluster drawings stand in). */
async function loadCharts(): Promise<PresetChartsFile | null> {
  try {
    const res = await fetch('./preset-charts.json');
    if (!res.ok) return null;
    const f = (await res.json()) as PresetChartsFile;
    return f && f.version === 1 && typeof f.charts === 'object' ? f : null;
  } catch {
    return null;
  }
}

/** The gallery page. */
export function Gallery(): JSX.Element {
  const [charts] = createResource(loadCharts);
  const open = async (id: string, present: boolean): Promise<void> => {
    const c = shareCtx();
    if (!c) return;
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    if (await c.openPreset(id)) {
      if (present) void startPresenting();
    }
  };
  return (
    <main class="sb-gallery" aria-label="Preset gallery">
      <header>
        <h2>Presets: the talk's claims, one click each</h2>
        <p class="hint">Each preset runs under the schedulers it compares and states the numbers it should make visible. Open one to explore it, or present its story.</p>
        <a href="#" class="button">← Back to the workbench</a>
      </header>
      <Show when={shareReady()} fallback={<p>Loading presets…</p>}>
        <Show when={(shareCtx()?.manifest().length ?? 0) > 0} fallback={<p role="alert">The preset list could not be loaded (offline before the first visit?).</p>}>
          <ul class="sb-cards">
            <For each={shareCtx()!.manifest()}>
              {(e) => {
                const s = shareCtx()!.presetScenario(e.id);
                return (
                  <li>
                    <article class="card sb-card" aria-labelledby={`preset-${e.id}`}>
                      {/* The thumbnail markup is generated from the preset's numbers, with every text escaped. */}
                      <div class="sb-thumb" innerHTML={charts()?.charts[e.id] ? claimChartSvg(charts()!.charts[e.id]) : s ? clusterThumbnailSvg(s) : ''} />
                      <p class="sb-claim">
                        Claim {e.claim}: {CLAIMS[e.claim]}
                        <Show when={e.alsoClaims?.length}> (also {e.alsoClaims!.join(', ')})</Show>
                      </p>
                      <h3 id={`preset-${e.id}`}>{e.title}</h3>
                      <p>{e.explanation}</p>
                      <p class="hint">Compares: {e.profiles.join(', ')}{e.variants ? `; variants: ${Object.values(e.variants).map((v) => v.title).join(', ')}` : ''}</p>
                      <details>
                        <summary>What it should show</summary>
                        <ul>
                          <For each={e.expect}>{(x) => <li>{x.text}</li>}</For>
                        </ul>
                      </details>
                      <div class="row actions">
                        <button type="button" class="primary" aria-label={`Open ${e.title}`} onClick={() => void open(e.id, false)}>
                          Open
                        </button>
                        <button type="button" aria-label={`Present ${e.title}`} onClick={() => void open(e.id, true)}>
                          Present
                        </button>
                      </div>
                    </article>
                  </li>
                );
              }}
            </For>
          </ul>
        </Show>
      </Show>
    </main>
  );
}
