/**
 * The GPU catalog with its editable fields (memory, price per GPU-hour); edits are stored in the scenario. Each
 * value is a NumberField: a refused one goes back to the value the runs use and says why at the field (issue 18).
 */
import { For, type JSX } from 'solid-js';
import { resolveCatalog } from '../../scenario/gpuCatalog.ts';
import type { Workbench } from '../stores/workbench.ts';
import type { EditRefusal } from '../stores/workspace.ts';
import { NumberField } from './NumberField.tsx';

/** The validator's limits (scenario/validate.ts: memMiB 1 … 10,000,000 MiB, price 0 … 1e6), in the fields' units. */
export const CATALOG_MEM_GIB_MAX = Math.floor(10_000_000 / 1024);
export const CATALOG_PRICE_USD_MAX = 1_000_000;

/** Catalog table: memory and example price per model. */
export function CatalogEditor(props: { wb: Workbench }): JSX.Element {
  const catalog = () => resolveCatalog(props.wb.scenario.catalog);
  const set = (id: string, field: 'memMiB' | 'pricePerHourUsd', v: number): EditRefusal =>
    props.wb.tryEdit((s) => {
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
                  <NumberField
                    label="Memory"
                    name={`Memory of ${m.name}`}
                    unit="GiB"
                    ariaLabel={`Memory of ${m.id} in GiB`}
                    integer
                    min={1}
                    max={CATALOG_MEM_GIB_MAX}
                    value={Math.round(m.memMiB / 1024)}
                    onCommit={(v) => set(m.id, 'memMiB', Math.round(v * 1024))}
                  />
                </td>
                <td>
                  <NumberField
                    label="Price"
                    name={`Price of ${m.name}`}
                    unit="$/h"
                    ariaLabel={`Price per GPU-hour of ${m.id}`}
                    min={0}
                    max={CATALOG_PRICE_USD_MAX}
                    step={0.05}
                    value={m.pricePerHourUsd}
                    onCommit={(v) => set(m.id, 'pricePerHourUsd', v)}
                  />
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </details>
  );
}
