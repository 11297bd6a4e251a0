/** Formats unschedulable reasons the way `kubectl describe pod` shows them: the edge where a Status becomes words. */
import { statusMessage, type Status } from './status.ts';

/** `0/12 nodes are available: 4 Insufficient cpu, 8 Insufficient nvidia.com/gpu.` (reasons sorted by text). */
export function formatUnschedulable(totalNodes: number, rejected: Record<string, number>): string {
  const parts = Object.entries(rejected)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([reason, count]) => `${count} ${reason}`);
  return `0/${totalNodes} nodes are available${parts.length ? ': ' + parts.join(', ') : ''}.`;
}

/**
 * An attempt's Error status as the FailedScheduling message records it, prefixed as kube prefixes a failed score
 * phase (the runner's score-range check is the only source of attempt errors today).
 */
export function formatStatus(s: Status): string {
  return `running Score plugins: ${statusMessage(s)}`;
}
