/**
 * Profiles `hami-binpack`, `hami-spread`, `hami-topology`: HAMi v2.10.0 (vGPU slices of memory and compute) as a
 * scheduler extender on kube-scheduler v1.34 (src/sched/hami/scheduler.ts). They differ in the default node
 * and GPU policies; every knob of HAMi's config that shapes placement is data here, and pods may still override
 * the policies with `hami.io/node-scheduler-policy` / `hami.io/gpu-scheduler-policy`.
 */
import { HamiScheduler, topologyScoreOf, type HamiConfig } from '../hami/scheduler.ts';
import { hamiBinpackInfo, hamiSpreadInfo, hamiTopologyInfo, type HamiOptions, type ProfileInfo } from '../../scenario/profileCatalog.ts';
import type { ProfileDefinition } from './types.ts';

export type { HamiOptions };

/** A HAMi profile: its catalog entry and the extender's scheduler. */
function hamiProfile(info: ProfileInfo<HamiOptions>): ProfileDefinition<HamiOptions> {
  return {
    ...info,
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
      return new HamiScheduler(hamiConfigOf(info.name, o));
    },
  };
}

/** A HAMi profile's knobs as the scheduler's configuration (also hami-mig's, src/sched/profiles/mig.ts). */
export function hamiConfigOf(name: string, o: HamiOptions): HamiConfig {
  return {
    name,
    nodePolicy: o.nodePolicy,
    gpuPolicy: o.gpuPolicy,
    splitCount: o.splitCount,
    memoryScaling: o.memoryScaling,
    request: { memoryFactor: 1, defaultMemMiB: o.defaultMemMiB, defaultCores: o.defaultCores },
    weights: { slot: o.slotWeight, core: o.coreWeight, memory: o.memoryWeight },
    scoreRequestTerms: o.scoreRequestTerms,
    percentageOfNodesToScore: o.percentageOfNodesToScore === 0 ? 'adaptive' : o.percentageOfNodesToScore,
    topologyScore: topologyScoreOf(o.gpuPolicy),
  };
}

export const hamiBinpack = hamiProfile(hamiBinpackInfo);
export const hamiSpread = hamiProfile(hamiSpreadInfo);
export const hamiTopology = hamiProfile(hamiTopologyInfo);

/** The HAMi profiles, in display order. */
export const HAMI_PROFILES: ProfileDefinition<HamiOptions>[] = [hamiBinpack, hamiSpread, hamiTopology];
