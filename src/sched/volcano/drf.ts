/**
 * Volcano's drf plugin (pkg/scheduler/plugins/drf/drf.go, v1.15): a job's dominant share, the largest
 * allocated/total over the cluster total's resource names (calculateShare over totalResource.ResourceNames(),
 * which lists every dimension ≥ minResource, the `pods` scalar included). Job order prefers the lower share.
 */
import { dominantShare, type Res } from './resource.ts';

/** drf calculateShare: max over the total's dimensions of allocated / total. */
export function drfJobShare(allocated: Res, total: Res): number {
  return dominantShare(allocated, total);
}
