/**
 * The conformance adapters, one per upstream project. Each project's adapter registers here; the runner and
 * the `conformance` command look adapters up in this list only.
 */
import { draAdapter } from './dra.ts';
import { fgdAdapter } from './fgd.ts';
import { hamiAdapter } from './hami.ts';
import { kubeAdapter } from './kube.ts';
import { migAdapter } from './mig.ts';
import { volcanoAdapter } from './volcano.ts';
import type { ConformanceAdapter } from './types.ts';

/** Every registered adapter. */
export const ADAPTERS: readonly ConformanceAdapter[] = [kubeAdapter, hamiAdapter, volcanoAdapter, fgdAdapter, migAdapter, draAdapter];
