/** One workload's knobs, by kind: training jobs, inference services, agents and batch pods. */
import { Match, Show, Switch, type JSX } from 'solid-js';
import type { AgentWorkload, BatchWorkload, InferenceWorkload, TrainingWorkload, WorkloadSpec } from '../../scenario/types.ts';
import { KIND_COLOR, KIND_LABEL } from '../lib/palette.ts';
import { DemandEditor } from './DemandEditor.tsx';
import { NumberField } from './NumberField.tsx';
import { SelectField } from './SelectField.tsx';
import type { EditRefusal } from '../stores/workspace.ts';

export interface WorkloadEditorProps {
  workload: WorkloadSpec;
  /** An edit of the workload; returns a refusal's messages (the field shows the first). */
  onChange: (fn: (w: WorkloadSpec) => void) => EditRefusal | void;
  onDuplicate: () => void;
  onRemove: () => void;
  onError: (message: string) => void;
  /** Why this workload's pods can never be placed (editCheck.ts fitWarnings), or undefined. */
  warning?: string;
}

/** Editor of one workload. */
export function WorkloadEditor(props: WorkloadEditorProps): JSX.Element {
  const n = (): string => props.workload.name;
  // Field helper: label, accessible name "<label> of <workload>", and a setter on the typed workload.
  const num = <W extends WorkloadSpec>(label: string, get: (w: W) => number, set: (w: W, v: number) => void, opts: { unit?: string; min?: number; max?: number; integer?: boolean; scale?: number; help?: string } = {}): JSX.Element => (
    <NumberField
      label={label}
      ariaLabel={`${label}${opts.unit ? ` (${opts.unit})` : ''} of ${n()}`}
      unit={opts.unit}
      min={opts.min ?? 0}
      max={opts.max}
      integer={opts.integer}
      help={opts.help}
      value={get(props.workload as W) / (opts.scale ?? 1)}
      onCommit={(v) => props.onChange((w) => void set(w as W, opts.scale ? Math.round(v * opts.scale) : v))}
    />
  );
  const gib = 1024;
  return (
    <fieldset class="card workload" style={{ 'border-left-color': KIND_COLOR[props.workload.kind] }}>
      <legend>
        {KIND_LABEL[props.workload.kind]}: {n()}
      </legend>
      <Show when={props.warning}>
        <p class="field-warning" role="note" aria-label={`Warning about ${n()}`}>
          ⚠ {props.warning}
        </p>
      </Show>
      <div class="row">
        <label class="field">
          <span class="field-label">Name</span>
          <input type="text" value={n()} aria-label={`Name of workload ${n()}`} onChange={(e) => props.onChange((w) => void (w.name = e.currentTarget.value.trim() || w.name))} />
        </label>
        {num<WorkloadSpec>('Priority', (w) => w.priority ?? 0, (w, v) => (w.priority = v), { integer: true, min: -1000, max: 1000 })}
      </div>
      <Switch>
        <Match when={props.workload.kind === 'training'}>
          <div class="row">
            {num<TrainingWorkload>('Workers', (w) => w.workers, (w, v) => (w.workers = v), { integer: true, min: 1, help: 'Gang size: the job runs only when every worker is placed' })}
            {num<TrainingWorkload>('GPUs/worker', (w) => w.gpusPerWorker, (w, v) => (w.gpusPerWorker = v), { integer: true, min: 1 })}
            {num<TrainingWorkload>('GPU mem', (w) => w.gpuMemMiB, (w, v) => (w.gpuMemMiB = v), { unit: 'GiB', scale: gib })}
          </div>
          <div class="row">
            {num<TrainingWorkload>('Work', (w) => w.workGpuHours, (w, v) => (w.workGpuHours = v), { unit: 'GPU-h', min: 0.01, help: 'GPU-hours at ideal placement on an A100' })}
            {num<TrainingWorkload>('Gradients', (w) => w.commGBPerStep, (w, v) => (w.commGBPerStep = v), { unit: 'GB/step', help: 'Bytes all-reduced per step: placement matters more when this is large' })}
            {num<TrainingWorkload>('Arrival', (w) => w.arrivalS, (w, v) => (w.arrivalS = v), { unit: 'min', scale: 60 })}
          </div>
        </Match>
        <Match when={props.workload.kind === 'inference'}>
          <div class="row">
            {num<InferenceWorkload>('GPU mem', (w) => w.gpuMemMiB, (w, v) => (w.gpuMemMiB = v), { unit: 'GiB', scale: gib, help: 'Weights + KV cache per replica' })}
            {num<InferenceWorkload>('GPU compute', (w) => w.gpuCores, (w, v) => (w.gpuCores = v), { unit: '%', integer: true, min: 1, max: 100 })}
            {num<InferenceWorkload>('QPS per GPU', (w) => w.qpsPerGpu, (w, v) => (w.qpsPerGpu = v), { min: 0.01, help: 'Requests per second one replica serves with a whole A100' })}
          </div>
          <div class="row">
            {num<InferenceWorkload>('Min replicas', (w) => w.minReplicas, (w, v) => (w.minReplicas = v), { integer: true, min: 0 })}
            {num<InferenceWorkload>('Max replicas', (w) => w.maxReplicas, (w, v) => (w.maxReplicas = v), { integer: true, min: 1 })}
            {num<InferenceWorkload>('SLO', (w) => w.sloMs, (w, v) => (w.sloMs = v), { unit: 'ms', min: 1 })}
          </div>
          <DemandEditor
            name={n()}
            demand={(props.workload as InferenceWorkload).demand}
            onChange={(d) => props.onChange((w) => void ((w as InferenceWorkload).demand = d))}
            onError={props.onError}
          />
        </Match>
        <Match when={props.workload.kind === 'agent'}>
          <div class="row">
            {num<AgentWorkload>('Agents', (w) => w.count, (w, v) => (w.count = v), { integer: true, min: 1 })}
            {num<AgentWorkload>('GPU mem', (w) => w.gpuMemMiB, (w, v) => (w.gpuMemMiB = v), { unit: 'GiB', scale: gib })}
            {num<AgentWorkload>('GPU compute', (w) => w.gpuCores, (w, v) => (w.gpuCores = v), { unit: '%', integer: true, min: 1, max: 100 })}
          </div>
          <div class="row">
            {num<AgentWorkload>('Bursts', (w) => w.burstsPerHour, (w, v) => (w.burstsPerHour = v), { unit: '/h' })}
            {num<AgentWorkload>('Burst work', (w) => w.burstGpuS, (w, v) => (w.burstGpuS = v), { unit: 'GPU-s' })}
            <SelectField
              label="Elasticity"
              ariaLabel={`Elasticity of ${n()}`}
              value={(props.workload as AgentWorkload).elasticity}
              options={[
                { value: 'always-on', label: 'Always on' },
                { value: 'scale-to-zero', label: 'Scale to zero' },
              ]}
              onChange={(v) => props.onChange((w) => void ((w as AgentWorkload).elasticity = v as AgentWorkload['elasticity']))}
            />
          </div>
        </Match>
        <Match when={props.workload.kind === 'batch'}>
          <div class="row">
            {num<BatchWorkload>('Pods', (w) => w.count, (w, v) => (w.count = v), { integer: true, min: 1 })}
            {num<BatchWorkload>('GPUs', (w) => w.gpus, (w, v) => (w.gpus = v), { integer: true, min: 0 })}
            {num<BatchWorkload>('GPU share', (w) => w.gpuMilli, (w, v) => (w.gpuMilli = v), { unit: 'milli', integer: true, min: 0, max: 1000 })}
          </div>
          <div class="row">
            {num<BatchWorkload>('Duration', (w) => w.durationS, (w, v) => (w.durationS = v), { unit: 'min', scale: 60, min: 1 / 60 })}
            {num<BatchWorkload>('Arrival', (w) => w.arrivalS, (w, v) => (w.arrivalS = v), { unit: 'min', scale: 60 })}
            {num<BatchWorkload>('Every', (w) => w.interarrivalS ?? 0, (w, v) => (w.interarrivalS = v), { unit: 's', help: 'Mean gap between arrivals; 0 = all at once' })}
          </div>
        </Match>
      </Switch>
      <Show when={props.workload.kind !== 'inference' && props.workload.kind !== 'trace' && props.workload.kind !== 'raycluster'}>
        <div class="row">
          {num<Exclude<WorkloadSpec, { kind: 'trace' | 'raycluster' }>>('CPU', (w) => w.cpuMilli, (w, v) => (w.cpuMilli = v), { unit: 'cores', scale: 1000 })}
          {num<Exclude<WorkloadSpec, { kind: 'trace' | 'raycluster' }>>('Memory', (w) => w.memMiB, (w, v) => (w.memMiB = v), { unit: 'GiB', scale: gib })}
        </div>
      </Show>
      <Show when={props.workload.kind === 'inference'}>
        <div class="row">
          {num<InferenceWorkload>('CPU', (w) => w.cpuMilli, (w, v) => (w.cpuMilli = v), { unit: 'cores', scale: 1000 })}
          {num<InferenceWorkload>('Memory', (w) => w.memMiB, (w, v) => (w.memMiB = v), { unit: 'GiB', scale: gib })}
        </div>
      </Show>
      <div class="row actions">
        <button type="button" onClick={() => props.onDuplicate()} aria-label={`Duplicate workload ${n()}`}>Duplicate</button>
        <button type="button" onClick={() => props.onRemove()} aria-label={`Remove workload ${n()}`}>Remove</button>
      </div>
    </fieldset>
  );
}
