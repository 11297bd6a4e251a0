/** Cluster sketcher: add, duplicate and remove node pools; the cluster view follows every edit. */
import { createSignal, For, type JSX } from 'solid-js';
import { GPU_CATALOG } from '../../scenario/gpuCatalog.ts';
import type { NodePoolSpec } from '../../scenario/types.ts';
import type { Workbench } from '../stores/workbench.ts';
import { CatalogEditor } from './CatalogEditor.tsx';
import { PoolEditor } from './PoolEditor.tsx';

/** GPU models offered for new pools (the trace-only models are left out). */
export const POOL_MODELS = ['B200', 'H200', 'H100', 'A100-80G', 'A100-40G', 'MI300X', 'L40S', 'A10', 'L4', 'V100-32G', 'T4'];

/** A sensible default node for a GPU model: SXM-class cards get 8 GPUs on an NVSwitch, PCIe cards 4. */
export function defaultPool(model: string, taken: readonly string[]): NodePoolSpec {
  const m = GPU_CATALOG[model];
  const sxm = (m?.nvlinkGBs ?? 0) > 0;
  let name = model.toLowerCase().replace(/[^a-z0-9]+/g, '');
  for (let i = 2; taken.includes(name); i++) name = `${model.toLowerCase().replace(/[^a-z0-9]+/g, '')}-${i}`;
  return { name, count: 2, gpuModel: model, gpusPerNode: sxm ? 8 : 4, cpuMilli: sxm ? 128000 : 48000, memMiB: (sxm ? 1024 : 192) * 1024, topology: sxm ? 'nvswitch' : 'pcie', numaNodes: 2, racks: 1 };
}

/** Pools editor plus the catalog. */
export function ClusterSketcher(props: { wb: Workbench }): JSX.Element {
  const [model, setModel] = createSignal('H100');
  const pools = () => props.wb.scenario.cluster.pools;
  const totals = () => {
    const p = pools();
    return { nodes: p.reduce((s, x) => s + x.count, 0), gpus: p.reduce((s, x) => s + x.count * x.gpusPerNode, 0) };
  };
  return (
    <section aria-label="Cluster sketcher" class="editor">
      <p class="hint">
        <strong>
          {totals().nodes} nodes, {totals().gpus} GPUs.
        </strong>{' '}
        A pool is a group of identical nodes: drag its count dial, scroll on it or use the arrow keys. The views on the right follow.
      </p>
      <For each={pools()}>
        {(pool, i) => (
          <PoolEditor
            pool={pool}
            modelIds={POOL_MODELS.includes(pool.gpuModel) ? POOL_MODELS : [pool.gpuModel, ...POOL_MODELS]}
            canRemove={pools().length > 1}
            onChange={(fn, capture) => props.wb.tryEdit((s) => fn(s.cluster.pools[i()]), capture)}
            onDuplicate={() =>
              props.wb.edit((s) => {
                const copy = JSON.parse(JSON.stringify(s.cluster.pools[i()])) as NodePoolSpec;
                const taken = s.cluster.pools.map((p) => p.name);
                let n = `${copy.name}-copy`;
                for (let k = 2; taken.includes(n); k++) n = `${copy.name}-copy${k}`;
                copy.name = n;
                s.cluster.pools.splice(i() + 1, 0, copy);
              })
            }
            onRemove={() => props.wb.edit((s) => void s.cluster.pools.splice(i(), 1))}
          />
        )}
      </For>
      <div class="row add">
        <label class="field">
          <span class="field-label">New pool GPU</span>
          <select aria-label="GPU model of the new pool" value={model()} onChange={(e) => setModel(e.currentTarget.value)}>
            <For each={POOL_MODELS}>{(id) => <option value={id}>{GPU_CATALOG[id].name}</option>}</For>
          </select>
        </label>
        <button type="button" onClick={() => props.wb.edit((s) => void s.cluster.pools.push(defaultPool(model(), s.cluster.pools.map((p) => p.name))))}>
          Add pool
        </button>
      </div>
      <CatalogEditor wb={props.wb} />
    </section>
  );
}
