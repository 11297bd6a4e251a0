/**
 * Workload sketcher: add training jobs, inference services, agents and batch pods; live demand preview; a warning
 * on each workload whose pods can never fit the cluster; the simulation's duration and seed.
 */
import { createMemo, For, Show, type JSX } from 'solid-js';
import type { WorkloadSpec } from '../../scenario/types.ts';
import type { Workbench } from '../stores/workbench.ts';
import { DemandPreview } from './DemandPreview.tsx';
import { OpenbImportButton } from './OpenbImportDialog.tsx';
import { WorkloadEditor } from './WorkloadEditor.tsx';
import { NumberField } from './NumberField.tsx';
import { fitWarnings } from '../stores/editCheck.ts';

/** Longest simulated duration the field takes, hours (the scenario format's 366 days). */
const MAX_DURATION_H = 366 * 24;

type AddKind = 'training' | 'inference' | 'agent' | 'batch';

/** A new workload of a kind with example knobs (a 4×8-GPU fine-tune, a tidal chat service…). */
export function newWorkload(kind: AddKind, taken: readonly string[]): WorkloadSpec {
  const base = { training: 'train', inference: 'chat', agent: 'agents', batch: 'notebooks' }[kind];
  let name = base;
  for (let i = 2; taken.includes(name); i++) name = `${base}-${i}`;
  switch (kind) {
    case 'training':
      return { kind, name, workers: 2, gpusPerWorker: 4, gpuMemMiB: 61440, cpuMilli: 16000, memMiB: 131072, workGpuHours: 32, stepComputeS: 1.2, commGBPerStep: 14, arrivalS: 0 };
    case 'inference':
      return { kind, name, gpuMemMiB: 20480, gpuCores: 30, cpuMilli: 4000, memMiB: 16384, qpsPerGpu: 30, demand: { shape: 'diurnal', peakQps: 40, troughQps: 4, peakHour: 14 }, targetUtilization: 0.6, minReplicas: 1, maxReplicas: 8, startupS: 60, sloMs: 300 };
    case 'agent':
      return { kind, name, count: 8, gpuMemMiB: 8192, gpuCores: 25, cpuMilli: 1000, memMiB: 4096, burstsPerHour: 4, burstGpuS: 6, elasticity: 'always-on' };
    case 'batch':
      return { kind, name, count: 8, cpuMilli: 4000, memMiB: 16384, gpus: 1, gpuMilli: 1000, gpuMemMiB: 16384, durationS: 3600, arrivalS: 0, interarrivalS: 300, gpuUtilization: 0.3 };
  }
}

/** List of workload editors with add buttons and the demand preview. */
export function WorkloadSketcher(props: { wb: Workbench }): JSX.Element {
  // Workloads whose pods can never fit any node (they would wait forever): warned about on their cards.
  const warnings = createMemo(() => fitWarnings(props.wb.scenario));
  const add = (kind: AddKind): void => props.wb.edit((s) => void s.workloads.push(newWorkload(kind, s.workloads.map((w) => w.name))));
  return (
    <section aria-label="Workload sketcher" class="editor">
      <DemandPreview wb={props.wb} />
      <div class="row add" role="group" aria-label="Add a workload">
        <button type="button" onClick={() => add('training')}>+ Training job</button>
        <button type="button" onClick={() => add('inference')}>+ Inference service</button>
        <button type="button" onClick={() => add('agent')}>+ Agents</button>
        <button type="button" onClick={() => add('batch')}>+ Batch pods</button>
        <OpenbImportButton label="Import the openb trace…" />
      </div>
      <Show
        when={props.wb.scenario.workloads.length > 0}
        fallback={<p class="hint empty-state">No workloads yet: add one with the buttons above. Until then there is nothing to schedule.</p>}
      >
        <p class="hint">Each workload creates pods that ask for GPUs. Draw an inference service's request rate over the day with the mouse, or pick a shape.</p>
      </Show>
      <For each={props.wb.scenario.workloads}>
        {(w, i) => (
          <WorkloadEditor
            workload={w}
            onChange={(fn) => props.wb.tryEdit((s) => fn(s.workloads[i()]))}
            warning={warnings().find((x) => x.workload === i())?.text}
            onDuplicate={() =>
              props.wb.edit((s) => {
                const copy = JSON.parse(JSON.stringify(s.workloads[i()])) as WorkloadSpec;
                const taken = s.workloads.map((x) => x.name);
                let name = `${copy.name}-copy`;
                for (let k = 2; taken.includes(name); k++) name = `${copy.name}-copy${k}`;
                copy.name = name;
                s.workloads.splice(i() + 1, 0, copy);
              })
            }
            onRemove={() => props.wb.edit((s) => void s.workloads.splice(i(), 1))}
            onError={(m) => props.wb.showError('Could not read the file — the scenario is unchanged.', [m])}
          />
        )}
      </For>
      <fieldset class="card">
        <legend>Simulation</legend>
        <div class="row">
          <NumberField
            label="Duration"
            unit="h"
            ariaLabel="Simulated duration in hours"
            min={0.1}
            max={MAX_DURATION_H}
            value={props.wb.scenario.sim.durationS / 3600}
            onCommit={(v) => props.wb.tryEdit((s) => void (s.sim.durationS = Math.round(v * 3600)))}
          />
          <NumberField label="Seed" ariaLabel="Random seed" integer min={0} max={0xffffffff} value={props.wb.scenario.sim.seed} onCommit={(v) => props.wb.tryEdit((s) => void (s.sim.seed = v))} />
        </div>
      </fieldset>
    </section>
  );
}
