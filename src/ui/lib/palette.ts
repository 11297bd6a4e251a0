/**
 * Colours: one per workload kind (the GPU slices) and one per compared run (chart lines). High-contrast,
 * distinguishable for the common colour-vision deficiencies (Okabe–Ito palette), readable on a projector.
 */
import type { WorkloadKind } from '../../model/pod.ts';

/** Fill of a GPU slice by workload kind. */
export const KIND_COLOR: Readonly<Record<WorkloadKind, string>> = {
  training: '#0072B2',
  inference: '#E69F00',
  agent: '#CC79A7',
  batch: '#009E73',
  trace: '#56B4E9',
  raycluster: '#F0E442',
};

/** Line colours of runs 1–4 in charts and cards. */
export const RUN_COLOR: readonly string[] = ['#0072B2', '#D55E00', '#009E73', '#CC79A7'];

/** Short human labels of the kinds. */
export const KIND_LABEL: Readonly<Record<WorkloadKind, string>> = {
  training: 'training',
  inference: 'inference',
  agent: 'agent',
  batch: 'batch',
  trace: 'trace pod',
  raycluster: 'Ray cluster',
};
