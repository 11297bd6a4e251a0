/** The presets gallery (`#/gallery`): one card per preset with a thumbnail drawn from its cluster, its claim, its explanation and the numbers it should show. */
import { For, Show, type JSX } from 'solid-js';
import { CLAIMS } from './presetManifest.ts';
import { shareCtx, shareReady } from './controller.ts';
import { clusterThumbnailSvg } from './thumbnail.ts';
import { startPresenting } from '../present/Presenter.tsx';

/** The gallery page. */
export function Gallery(): JSX.Element {
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
                      <div class="sb-thumb" innerHTML={s ? clusterThumbnailSvg(s) : ''} />
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
