/**
 * Colours: one per workload kind (the GPU slices) and one per compared run (chart lines). High-contrast,
 * distinguishable for the common colour-vision deficiencies (Okabe–Ito palette), readable on a projector.
 */
import type { WorkloadKind } from '../../worker/protocol.ts';

/** Fill of a GPU slice by workload kind. */
export const KIND_COLOR: Readonly<Record<WorkloadKind, string>> = {
  training: '#0072B2',
  inference: '#E69F00',
  agent: '#CC79A7',
  batch: '#009E73',
  trace: '#56B4E9',
  raycluster: '#F0E442',
};

/** Line colours of runs 1–4 in charts and cards (CSS variables: each theme sets its own contrast-checked shades). */
export const RUN_COLOR: readonly string[] = ['var(--run0)', 'var(--run1)', 'var(--run2)', 'var(--run3)'];

/** Short human labels of the kinds. */
export const KIND_LABEL: Readonly<Record<WorkloadKind, string>> = {
  training: 'training',
  inference: 'inference',
  agent: 'agent',
  batch: 'batch',
  trace: 'trace pod',
  raycluster: 'Ray cluster',
};
