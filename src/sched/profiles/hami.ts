/**
 * Profiles `hami-binpack`, `hami-spread`, `hami-topology`: HAMi v2.10.0 (vGPU slices of memory and compute) as a
 * scheduler extender on kube-scheduler v1.34 (src/sched/hami/scheduler.ts). They differ in the default node
 * and GPU policies; every knob of HAMi's config that shapes placement is data here, and pods may still override
 * the policies with `hami.io/node-scheduler-policy` / `hami.io/gpu-scheduler-policy`.
 */
import { HamiScheduler } from '../hami/scheduler.ts';
import type { ProfileDefinition } from './types.ts';

export interface HamiOptions {
  /** Node policy flag: binpack (HAMi's default) or spread. */
  nodePolicy: string;
  /** GPU policy flag: spread (HAMi's default), binpack, topology-aware, mutex, or a chain such as `binpack,numa`. */
  gpuPolicy: string;
  /** deviceSplitCount: pods that may share one GPU (default 10). */
  splitCount: number;
  /** deviceMemoryScaling: registered memory = floor(MiB × scaling); > 1 oversubscribes (default 1). */
  memoryScaling: number;
  /** defaultMemory, MiB (0: a pod without gpumem gets the whole card's memory). */
  defaultMemMiB: number;
  /** defaultCores, percent. */
  defaultCores: number;
  /** Default scoring weights (HAMi 1/1/1; `hami.io/device-scoring-weights` overrides per pod). */
  slotWeight: number;
  coreWeight: number;
  memoryWeight: number;
  /** Count the pod's own request in GPU scores (what HAMi's unit tests see); off on real nodes. */
  scoreRequestTerms: boolean;
  /** kube-scheduler percentageOfNodesToScore: 0 = adaptive. */
  percentageOfNodesToScore: number;
}

const KNOBS: ProfileDefinition<HamiOptions>['knobs'] = [
  { key: 'nodePolicy', label: 'Node policy', kind: 'choice', choices: ['binpack', 'spread'], help: 'binpack fills the busiest node that fits (HAMi default); spread the idlest. Scored on usage before the pod.' },
  { key: 'gpuPolicy', label: 'GPU policy', kind: 'choice', choices: ['spread', 'binpack', 'topology-aware', 'mutex', 'binpack,numa', 'spread,numa', 'numa'], help: 'How cards are ordered inside a node: spread (HAMi default) the idlest card, binpack the busiest, topology-aware the best-linked set, mutex only idle cards.' },
  { key: 'splitCount', label: 'deviceSplitCount', kind: 'int', min: 1, max: 100, help: 'How many pods may share one GPU (default 10).' },
  { key: 'memoryScaling', label: 'deviceMemoryScaling', kind: 'number', min: 0.1, max: 10, help: 'Registered GPU memory = physical × scaling; above 1 HAMi oversubscribes memory (risky).' },
  { key: 'defaultMemMiB', label: 'defaultMemory (MiB)', kind: 'int', min: 0, max: 1048576, help: 'Memory for a pod that sets no gpumem; 0 = the whole card.' },
  { key: 'defaultCores', label: 'defaultCores (%)', kind: 'int', min: 0, max: 100, help: 'gpucores for a pod that sets none (the webhook makes whole-card pods exclusive at 100 regardless).' },
  { key: 'slotWeight', label: 'Score weight: slots', kind: 'number', min: 0, max: 100, help: 'Weight of shared slots in the per-GPU score (HAMi default 1).' },
  { key: 'coreWeight', label: 'Score weight: cores', kind: 'number', min: 0, max: 100, help: 'Weight of compute in the per-GPU score (HAMi default 1).' },
  { key: 'memoryWeight', label: 'Score weight: memory', kind: 'number', min: 0, max: 100, help: 'Weight of memory in the per-GPU score (HAMi default 1).' },
  { key: 'scoreRequestTerms', label: 'Count the request in GPU scores', kind: 'bool', help: "HAMi adds the pod's own request only when its type string equals the card's; real nodes register the model name, so off." },
  { key: 'percentageOfNodesToScore', label: 'percentageOfNodesToScore', kind: 'int', min: 0, max: 100, help: 'kube-scheduler hands HAMi only this many feasible nodes; 0 = adaptive.' },
];

const BASE: HamiOptions = {
  nodePolicy: 'binpack',
  gpuPolicy: 'spread',
  splitCount: 10,
  memoryScaling: 1,
  defaultMemMiB: 0,
  defaultCores: 0,
  slotWeight: 1,
  coreWeight: 1,
  memoryWeight: 1,
  scoreRequestTerms: false,
  percentageOfNodesToScore: 0,
};

function hamiProfile(name: string, title: string, summary: string, defaults: Partial<HamiOptions>): ProfileDefinition<HamiOptions> {
  return {
    name,
    title,
    summary,
    models: 'HAMi v2.10.0 scheduler extender on kube-scheduler v1.34',
    knobs: KNOBS,
    defaults: { ...BASE, ...defaults },
    // kernels shaders/filterScoreHami.wgsl + selectHami.wgsl: the knobs that shape filtering and the node score
    kernel: (o) => ({
      kind: 'hami',
      spread: o.nodePolicy === 'spread',
      mutex: o.gpuPolicy.includes('mutex'),
      splitCount: o.splitCount,
      memoryScaling: o.memoryScaling,
      request: { memoryFactor: 1, defaultMemMiB: o.defaultMemMiB, defaultCores: o.defaultCores },
    }),
    create(o) {
      return new HamiScheduler({
        name,
        nodePolicy: o.nodePolicy,
        gpuPolicy: o.gpuPolicy,
        splitCount: o.splitCount,
        memoryScaling: o.memoryScaling,
        request: { memoryFactor: 1, defaultMemMiB: o.defaultMemMiB, defaultCores: o.defaultCores },
        weights: { slot: o.slotWeight, core: o.coreWeight, memory: o.memoryWeight },
        scoreRequestTerms: o.scoreRequestTerms,
        percentageOfNodesToScore: o.percentageOfNodesToScore === 0 ? 'adaptive' : o.percentageOfNodesToScore,
      });
    },
  };
}

export const hamiBinpack = hamiProfile('hami-binpack', 'HAMi: binpack nodes and GPUs', 'GPU slices (memory + compute); packs pods onto the busiest node and the busiest card that fit.', { nodePolicy: 'binpack', gpuPolicy: 'binpack' });

export const hamiSpread = hamiProfile('hami-spread', 'HAMi: spread nodes and GPUs', 'GPU slices (memory + compute); spreads pods to the idlest node and the idlest card.', { nodePolicy: 'spread', gpuPolicy: 'spread' });

export const hamiTopology = hamiProfile('hami-topology', 'HAMi: topology-aware GPUs', 'GPU slices; multi-GPU pods get the best-linked cards (NVLink first), single-GPU pods the worst-linked one.', { nodePolicy: 'binpack', gpuPolicy: 'topology-aware' });

/** The HAMi profiles, in display order. */
export const HAMI_PROFILES: ProfileDefinition<HamiOptions>[] = [hamiBinpack, hamiSpread, hamiTopology];
