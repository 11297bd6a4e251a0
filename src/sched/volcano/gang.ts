/**
 * Gang's session-close rule for jobs whose pods are being released (Volcano release-1.15,
 * pkg/scheduler/plugins/gang/gang.go shouldSkipUnschedulableForReleasing, called from OnSessionClose): a job that
 * is not ready is not marked Unschedulable when its only missing members are pods still terminating on their
 * nodes. The session (session.ts) counts the pods preempt and reclaim evicted as those Releasing tasks; the
 * conformance adapter passes the upstream vectors' task statuses.
 */

/** A PodGroup's tasks counted by status, as the rule reads them (api/job_info.go, api/helpers.go). */
export interface GangReleasingCounts {
  minAvailable: number;
  /** ScheduledTaskNum: tasks Running, Bound, Failed or Succeeded (api/helpers.go ScheduledStatus). */
  scheduled: number;
  /** ReleasingScheduledTaskNum: Releasing tasks that have a node (a never-scheduled Releasing task does not count). */
  releasingOnNode: number;
  /** Tasks Pending (a replacement still to schedule). */
  pending: number;
  /** Tasks Pipelined (placed on resources being released). */
  pipelined: number;
}

/**
 * gang.go shouldSkipUnschedulableForReleasing: at least one Releasing task with a node, no Pending and no
 * Pipelined task, and scheduled + node-assigned Releasing tasks ≥ minAvailable.
 */
export function shouldSkipUnschedulableForReleasing(c: GangReleasingCounts): boolean {
  if (c.releasingOnNode === 0) return false;
  if (c.pending > 0 || c.pipelined > 0) return false;
  return c.scheduled + c.releasingOnNode >= c.minAvailable;
}
