/** The GPU catalog with its editable fields (memory, price per GPU-hour); edits are stored in the scenario. */
import { For, type JSX } from 'solid-js';
import { resolveCatalog } from '../../scenario/gpuCatalog.ts';
import type { Workbench } from '../stores/workbench.ts';

/** Catalog table: memory and example price per model. */
export function CatalogEditor(props: { wb: Workbench }): JSX.Element {
  const catalog = () => resolveCatalog(props.wb.scenario.catalog);
  const set = (id: string, field: 'memMiB' | 'pricePerHourUsd', v: number): void =>
    props.wb.edit((s) => {
      s.catalog = { ...(s.catalog ?? {}), [id]: { ...(s.catalog?.[id] ?? {}), [field]: v } };
    });
  return (
    <details class="card catalog">
      <summary>GPU catalog (memory and example prices)</summary>
      <p class="hint">Prices are examples, not facts: set your own.</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Memory (GiB)</th>
            <th scope="col">$ / GPU-hour</th>
          </tr>
        </thead>
        <tbody>
          <For each={Object.values(catalog()).filter((m) => !m.assumed && !m.name.includes('openb'))}>
            {(m) => (
              <tr>
                <th scope="row" title={`${m.tflops} TFLOPS, ${m.memBwGBs} GB/s`}>{m.name}</th>
                <td>
                  <input type="number" min="1" step="1" aria-label={`Memory of ${m.id} in GiB`} value={Math.round(m.memMiB / 1024)} onChange={(e) => {
                    const v = Number(e.currentTarget.value);
                    if (Number.isFinite(v) && v > 0) set(m.id, 'memMiB', Math.round(v * 1024));
                  }} />
                </td>
                <td>
                  <input type="number" min="0" step="0.05" aria-label={`Price per GPU-hour of ${m.id}`} value={m.pricePerHourUsd} onChange={(e) => {
                    const v = Number(e.currentTarget.value);
                    if (Number.isFinite(v) && v >= 0) set(m.id, 'pricePerHourUsd', v);
                  }} />
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </details>
  );
}
