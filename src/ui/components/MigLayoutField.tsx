/**
 * A pool's MIG layout (issue 17): a mig-parted layout name or a custom list of profiles per GPU, with the instances
 * drawn on the GPU's eight memory slices. Shown for MIG-capable models only; the help says which figures are
 * assumptions. A layout that does not fit the model is refused by validation, the message naming the field.
 */
import { For, Show, type JSX } from 'solid-js';
import { layoutInstances, migLayoutNames, migModelOf, MIG_ASSUMPTION_NOTE, type MigLayoutSpec } from '../../scenario/migCatalog.ts';
import { SelectField } from './SelectField.tsx';

const CUSTOM = 'custom';

/** Words for a layout name in the picker. */
function layoutLabel(name: string): string {
  if (name === 'all-disabled') return 'MIG off';
  if (name === 'all-enabled') return 'MIG on, no instances (dynamic)';
  if (name === 'all-balanced') return 'all-balanced (2 × 1g, 2g, 3g)';
  return name;
}

export interface MigLayoutFieldProps {
  poolName: string;
  modelId: string;
  value: MigLayoutSpec | undefined;
  /** Applies the layout; returns the refusal's messages when the scenario refused it (nothing changed). */
  onChange: (v: MigLayoutSpec | undefined) => string[] | null | void;
}

/** The MIG row of the pool editor. */
export function MigLayoutField(props: MigLayoutFieldProps): JSX.Element {
  const model = () => migModelOf(props.modelId);
  const selected = (): string => (Array.isArray(props.value) ? CUSTOM : (props.value ?? 'all-disabled'));
  const instances = () => {
    if (props.value === undefined) return [];
    const r = layoutInstances(props.modelId, props.value);
    return r.ok ? r.instances : [];
  };
  const help = (): string =>
    `The mig-parted layout every GPU of the pool gets; used by k8s-mig (static) and hami-mig (which creates instances on demand on any pool with MIG on). Other profiles see whole GPUs. ${model()?.assumed ? MIG_ASSUMPTION_NOTE : ''}`;
  return (
    <Show when={model()}>
      {(m) => (
        <div class="row mig-row">
          <SelectField
            label="MIG layout"
            ariaLabel={`MIG layout of pool ${props.poolName}`}
            help={help()}
            value={selected()}
            options={[...migLayoutNames(m()).map((n) => ({ value: n, label: layoutLabel(n) })), { value: CUSTOM, label: 'Custom list…' }]}
            onChange={(v) => props.onChange(v === 'all-disabled' ? undefined : v === CUSTOM ? m().balanced.flatMap((b) => Array.from({ length: b.count }, () => b.profile)) : v)}
          />
          {/* The custom list exists only while "Custom list…" is chosen (MIG off or a named layout has none); its
              visible label is part of its accessible name, so speech input can say what the eye reads. */}
          <Show when={selected() === CUSTOM && Array.isArray(props.value)}>
            <label class="field">
              <span class="field-label">MIG profiles per GPU (comma-separated)</span>
              <input
                type="text"
                aria-label={`MIG profiles per GPU of pool ${props.poolName}, comma-separated`}
                title={`Profiles of ${props.modelId}: ${m().profiles.map((p) => p.name).join(', ')}`}
                value={(props.value as string[]).join(', ')}
                onChange={(e) => {
                  const el = e.currentTarget;
                  const refused = props.onChange(el.value.split(',').map((x) => x.trim()).filter((x) => x !== ''));
                  // A refused list does not stay in the field: it shows the layout the runs use (the banner says why).
                  if (refused && refused.length && Array.isArray(props.value)) el.value = props.value.join(', ');
                }}
              />
            </label>
          </Show>
          <div
            class="mig-preview"
            role="img"
            aria-label={instances().length ? `One GPU: ${instances().map((i) => `${i.profile} on memory slices ${i.start}–${i.start + i.size - 1}`).join(', ')}` : 'One GPU: no MIG instances'}
            style={{ 'grid-template-columns': `repeat(${m().memorySlices}, 1fr)` }}
          >
            {/* narrow one-slice cells show the compute size only (1g); the full name is in the title and the label */}
            <For each={instances()}>
              {(i) => (
                <span title={i.profile} style={{ 'grid-column': `${i.start + 1} / span ${i.size}` }}>
                  {i.size === 1 ? i.profile.split('.')[0] : i.profile}
                </span>
              )}
            </For>
          </div>
        </div>
      )}
    </Show>
  );
}
