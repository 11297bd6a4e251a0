/** One node pool: GPU model, node count (dial and field), GPUs per node, CPU, memory, topology, NUMA, racks, MIG layout. */
import type { JSX } from 'solid-js';
import type { NodePoolSpec, Topology } from '../../scenario/types.ts';
import type { Capture, EditRefusal } from '../stores/workspace.ts';
import { GPU_CATALOG } from '../../scenario/gpuCatalog.ts';
import { CountDial } from './CountDial.tsx';
import { NumberField } from './NumberField.tsx';
import { SelectField } from './SelectField.tsx';
import { MigLayoutField } from './MigLayoutField.tsx';
import { migLayoutNames, migModelOf } from '../../scenario/migCatalog.ts';

export interface PoolEditorProps {
  pool: NodePoolSpec;
  modelIds: string[];
  /** An edit of the pool; `capture` as in Workspace.edit (absent: one undo step); returns a refusal's messages. */
  onChange: (fn: (p: NodePoolSpec) => void, capture?: Capture) => EditRefusal | void;
  onDuplicate: () => void;
  onRemove: () => void;
  canRemove: boolean;
}

const TOPOLOGIES: { value: Topology; label: string }[] = [
  { value: 'nvswitch', label: 'NVSwitch (all pairs NVLink)' },
  { value: 'nvlink-pairs', label: 'NVLink pairs (0-1, 2-3…)' },
  { value: 'pcie', label: 'PCIe only' },
];

/** The node-count dial's limits; the exact-count field takes the same (0 or 100,000 nodes are refused at the field). */
export const NODE_COUNT_MIN = 1;
export const NODE_COUNT_MAX = 2000;

/** Editor of one node pool. */
export function PoolEditor(props: PoolEditorProps): JSX.Element {
  const name = (): string => props.pool.name;
  const gpuChoices = (): { value: string; label: string }[] => [0, 1, 2, 4, 8, 16].map((n) => ({ value: String(n), label: String(n) }));
  const numaChoices = (): { value: string; label: string }[] => [1, 2, 4].map((n) => ({ value: String(n), label: n === 1 ? '1 socket' : `${n} sockets` }));
  return (
    <fieldset class="card pool">
      <legend>Pool {name()}</legend>
      <div class="row">
        <label class="field">
          <span class="field-label">Name</span>
          <input type="text" value={name()} aria-label={`Name of pool ${name()}`} onChange={(e) => props.onChange((p) => void (p.name = e.currentTarget.value.trim() || p.name))} />
        </label>
        <SelectField
          label="GPU model"
          ariaLabel={`GPU model of pool ${name()}`}
          value={props.pool.gpuModel}
          options={props.modelIds.map((id) => ({ value: id, label: GPU_CATALOG[id]?.name ?? id }))}
          onChange={(v) =>
            props.onChange((p) => {
              p.gpuModel = v;
              // a MIG layout the new model cannot carry is dropped (a named one it also has is kept)
              const m = migModelOf(v);
              if (p.mig !== undefined && (!m || Array.isArray(p.mig) || !migLayoutNames(m).includes(p.mig))) delete p.mig;
            })
          }
        />
      </div>
      <div class="row">
        <div class="field">
          <span class="field-label" aria-hidden="true">Node count</span>
          <CountDial label={`Node count of pool ${name()} (drag, scroll or arrow keys)`} value={props.pool.count} min={NODE_COUNT_MIN} max={NODE_COUNT_MAX} onChange={(v, capture) => props.onChange((p) => void (p.count = v), capture)} />
        </div>
        <NumberField label="Exact count" name="Node count" ariaLabel={`Nodes in pool ${name()} (type an exact number)`} integer min={NODE_COUNT_MIN} max={NODE_COUNT_MAX} value={props.pool.count} onCommit={(v) => props.onChange((p) => void (p.count = v))} />
        <SelectField label="GPUs/node" ariaLabel={`GPUs per node in pool ${name()}`} value={String(props.pool.gpusPerNode)} options={gpuChoices()} onChange={(v) => props.onChange((p) => void (p.gpusPerNode = Number(v)))} />
      </div>
      <div class="row">
        <NumberField label="CPU" name="CPU per node" unit="cores" ariaLabel={`CPU cores per node in pool ${name()}`} min={1} step={1} value={props.pool.cpuMilli / 1000} onCommit={(v) => props.onChange((p) => void (p.cpuMilli = Math.round(v * 1000)))} />
        <NumberField label="Memory" name="Memory per node" unit="GiB" ariaLabel={`Memory per node in pool ${name()} in GiB`} min={1} step={1} value={props.pool.memMiB / 1024} onCommit={(v) => props.onChange((p) => void (p.memMiB = Math.round(v * 1024)))} />
      </div>
      <div class="row">
        <SelectField label="Topology" ariaLabel={`GPU topology of pool ${name()}`} value={props.pool.topology} options={TOPOLOGIES} onChange={(v) => props.onChange((p) => void (p.topology = v as Topology))} />
        <SelectField label="NUMA" ariaLabel={`NUMA layout of pool ${name()}`} value={String(props.pool.numaNodes)} options={numaChoices()} onChange={(v) => props.onChange((p) => void (p.numaNodes = Number(v)))} />
        <NumberField label="Racks" ariaLabel={`Racks of pool ${name()}`} integer min={1} max={1000} value={props.pool.racks ?? 1} onCommit={(v) => props.onChange((p) => void (p.racks = v))} />
      </div>
      <MigLayoutField
        poolName={name()}
        modelId={props.pool.gpuModel}
        value={props.pool.mig}
        onChange={(v) =>
          props.onChange((p) => {
            if (v === undefined) delete p.mig;
            else p.mig = v;
          }) ?? null
        }
      />
      <div class="row actions">
        <button type="button" onClick={() => props.onDuplicate()} aria-label={`Duplicate pool ${name()}`}>Duplicate</button>
        <button type="button" disabled={!props.canRemove} onClick={() => props.onRemove()} aria-label={`Remove pool ${name()}`}>Remove</button>
      </div>
    </fieldset>
  );
}
